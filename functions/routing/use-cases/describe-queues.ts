import { PRIORITIES, type QueueSettings } from '#cases';
import type { RoutingDeps } from './deps.js';

export interface QueueOverview {
  queue: string;
  label: string;
  /** Items in the backlog, by priority. */
  waiting: number;
  waitingByPriority: Record<string, number>;
  /** Seconds the oldest waiting item has waited, or null when none waits. */
  oldestWaitSeconds: number | null;
  /** Agents serving the queue whose presence is available, and how many of them have any room. */
  agentsAvailable: number;
  agentsWithRoom: number;
  /** Agents serving the queue, whatever their presence. */
  agentsServing: number;
}

/**
 * Per queue: waiting items, the oldest one's age and the agents available (`GET /queues`).
 * Bounded however long the backlogs: one query of the staff, one read of every queue's counters,
 * and per queue one item read for each priority that has any waiting.
 */
export async function describeQueues(deps: RoutingDeps, input: { queues: readonly QueueSettings[] }): Promise<QueueOverview[]> {
  const now = deps.clock.now();
  const lightest = Math.min(...Object.values(deps.settings.channelWeights));
  const names = input.queues.map((queue) => queue.name);
  const [staff, counts] = await Promise.all([deps.routing.listStaff(), deps.routing.countWaiting(names)]);
  const oldest = await Promise.all(
    names.map(async (name) => {
      const waitingPriorities = PRIORITIES.filter((priority) => (counts[name]?.[priority] ?? 0) > 0);
      return waitingPriorities.length > 0 ? deps.routing.oldestWaiting(name, waitingPriorities) : null;
    }),
  );
  return input.queues.map((queue, i) => {
    const serving = staff.filter((member) => member.agent.queues.includes(queue.name));
    const available = serving.filter((member) => member.live.presence === 'available');
    const waitingByPriority: Record<string, number> = { ...counts[queue.name] };
    const enqueuedAt = oldest[i];
    return {
      queue: queue.name,
      label: queue.label,
      waiting: Object.values(waitingByPriority).reduce((sum, count) => sum + count, 0),
      waitingByPriority,
      oldestWaitSeconds: enqueuedAt ? Math.max(0, Math.floor((now - Date.parse(enqueuedAt)) / 1000)) : null,
      agentsAvailable: available.length,
      agentsWithRoom: available.filter((member) => member.live.capacity - member.live.load >= lightest).length,
      agentsServing: serving.length,
    };
  });
}
