import type { Agent } from '#agents';
import { type Case, PRIORITIES, type Priority } from '#cases';
import type { QueueSettings } from '#cases';
import type { Milestone } from './sla-policy.js';

/** The next priority up, or the same at the top. */
export function raisedPriority(priority: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.indexOf(priority) + 1, PRIORITIES.length - 1)] as Priority;
}

/**
 * The case after a breach of one of its clocks.
 * - Level 1: priority one step up; the case moves to its queue's escalation queue (served by
 *   supervisors) and is unassigned there, so routing offers it to a supervisor; flagged breached.
 * - Level 2 (the policy's second level, later): priority one more step up.
 */
export function escalatedCase(c: Case, level: 1 | 2, queues: readonly QueueSettings[]): Case {
  const raised: Case = { ...c, priority: raisedPriority(c.priority), slaState: 'breached' };
  if (level === 2) return raised;
  const escalationQueue = queues.find((queue) => queue.name === c.queue)?.escalationQueue ?? null;
  if (escalationQueue === null || escalationQueue === c.queue) return raised;
  return { ...raised, queue: escalationQueue, assigneeId: null };
}

/**
 * Who hears of a breach: the supervisors serving the case's queue or the queue it escalates to;
 * the admins when no supervisor does (someone must).
 */
export function escalationRecipients(staff: readonly Agent[], queues: readonly string[]): Agent[] {
  const supervisors = staff.filter(
    (member) => member.roles.includes('supervisors') && member.queues.some((queue) => queues.includes(queue)),
  );
  if (supervisors.length > 0) return supervisors;
  return staff.filter((member) => member.roles.includes('admins'));
}

const MILESTONE_LABELS: Record<Milestone, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
};

export function milestoneLabel(milestone: Milestone): string {
  return MILESTONE_LABELS[milestone];
}
