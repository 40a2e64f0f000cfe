import type { Case } from '#cases';
import type { ReleaseReason } from '../domain/routing-ports.js';
import { needsAgent, workItemForCase } from '../domain/work-for-case.js';
import type { RoutingDeps } from './deps.js';

export type DispatchOutcome = 'enqueued' | 'refreshed' | 'unchanged' | 'withdrawn' | 'released' | 'kept';

/**
 * Keeps a case's work item in step with the case (each change of a case, from the cases table stream).
 *
 * 1. A case that needs an agent (new or open, nobody assigned) gets its item into the backlog, or
 *    the waiting item's priority, queue and skills brought up to date. Stream records delivered
 *    twice or late change nothing: the store compares case versions.
 *    Accepted work whose case lost its assignee goes back to the backlog with its weight freed,
 *    under the case's current queue, priority and skills.
 * 2. Otherwise an item still waiting leaves the backlog, and an item an agent holds is released
 *    (resolved, closed, assigned to someone else, or no longer routable), which frees its weight
 *    exactly once: only the owner's release succeeds. Accepted work of the case's own assignee
 *    stays with them while the case is open, pending or on hold.
 *
 * The item's own changes then ask a router to place it (see `relayWorkChange`).
 */
export async function dispatchCaseWork(deps: RoutingDeps, input: { case: Case }): Promise<DispatchOutcome> {
  const c = input.case;
  const at = new Date(deps.clock.now()).toISOString();
  if (needsAgent(c)) {
    const outcome = await deps.routing.enqueue(workItemForCase(c, deps.settings, at), c.version);
    if (outcome !== 'unchanged') return outcome === 'created' ? 'enqueued' : outcome;
    // Accepted work whose case lost its assignee (given back): free the weight and put the item
    // back in the backlog, so the case is routed again.
    const work = await deps.routing.getWorkItem(c.id);
    if (work?.status !== 'accepted' || !work.owner) return 'unchanged';
    const released = await deps.routing.release({
      agentId: work.owner,
      workId: work.id,
      weight: work.weight,
      at,
      reason: 'unassigned',
      requeue: true,
    });
    if (!released) return 'unchanged';
    // The item waits again under what it was when accepted; the case may have moved meanwhile
    // (an SLA escalation moves it to the escalation queue, raised): route it as the case is now.
    await deps.routing.enqueue(workItemForCase(c, deps.settings, at), c.version);
    return 'released';
  }
  const work = await deps.routing.getWorkItem(c.id);
  if (!work || work.status === 'done') return 'unchanged';
  if (work.status === 'waiting') return (await deps.routing.withdraw(work.id, c.version, at)) ? 'withdrawn' : 'unchanged';
  const reason = releaseReason(c, work.owner, work.status);
  if (!reason || !work.owner) return 'kept';
  const released = await deps.routing.release({ agentId: work.owner, workId: work.id, weight: work.weight, at, reason, requeue: false });
  return released ? 'released' : 'unchanged';
}

/** Why an owned item must be given up for this state of its case, or null to keep it. */
function releaseReason(c: Case, owner: string | null, status: 'offered' | 'accepted'): ReleaseReason | null {
  if (c.status === 'resolved') return 'resolved';
  if (c.status === 'closed') return 'closed';
  if (c.assigneeId !== null && c.assigneeId !== owner) return 'reassigned';
  if (status === 'accepted' && c.assigneeId === owner) return null;
  // An offer whose case stopped needing an agent some other way (e.g. quarantined, or pending
  // before anyone accepted): nobody should be asked to take it.
  return 'unrouted';
}
