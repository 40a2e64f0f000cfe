import type { QueueSettings } from '#cases';
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
 * One query of the staff and one per queue backlog.
 */
export async function describeQueues(deps: RoutingDeps, input: { queues: readonly QueueSettings[] }): Promise<QueueOverview[]> {
  const now = deps.clock.now();
  const lightest = Math.min(...Object.values(deps.settings.channelWeights));
  const [staff, backlogs] = await Promise.all([
    deps.routing.listStaff(),
    Promise.all(input.queues.map((queue) => deps.routing.listWholeBacklog(queue.name))),
  ]);
  return input.queues.map((queue, i) => {
    const backlog = backlogs[i] ?? [];
    const serving = staff.filter((member) => member.agent.queues.includes(queue.name));
    const available = serving.filter((member) => member.live.presence === 'available');
    const oldest = backlog.reduce<number | null>((min, item) => {
      const enqueued = Date.parse(item.enqueuedAt);
      return min === null || enqueued < min ? enqueued : min;
    }, null);
    const waitingByPriority: Record<string, number> = {};
    for (const item of backlog) waitingByPriority[item.priority] = (waitingByPriority[item.priority] ?? 0) + 1;
    return {
      queue: queue.name,
      label: queue.label,
      waiting: backlog.length,
      waitingByPriority,
      oldestWaitSeconds: oldest === null ? null : Math.max(0, Math.floor((now - oldest) / 1000)),
      agentsAvailable: available.length,
      agentsWithRoom: available.filter((member) => member.live.capacity - member.live.load >= lightest).length,
      agentsServing: serving.length,
    };
  });
}
