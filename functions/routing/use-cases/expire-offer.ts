import type { RoutingDeps } from './deps.js';

/**
 * Ends an offer nobody answered (a delayed message of the routing queue, sent when the offer was made).
 *
 * 1. Release the item only if it is still that same offer, unanswered: the agent's load shrinks,
 *    the item returns to the backlog with the agent among its decliners, and the agent is set
 *    `away` in the same transaction, as Amazon Connect sets an agent who missed a contact: work
 *    should not keep waiting 30 seconds at a desk nobody sits at.
 * 2. A late message for an offer already accepted, declined or expired changes nothing.
 */
export async function expireOffer(
  deps: RoutingDeps,
  input: { workId: string; agentId: string; offerId: string },
): Promise<'expired' | 'already_answered'> {
  const work = await deps.routing.getWorkItem(input.workId);
  if (!work || work.status !== 'offered' || work.offerId !== input.offerId || work.owner !== input.agentId) return 'already_answered';
  const released = await deps.routing.release({
    agentId: input.agentId,
    workId: input.workId,
    weight: work.weight,
    at: new Date(deps.clock.now()).toISOString(),
    reason: 'timed_out',
    requeue: true,
    offerId: input.offerId,
    setAway: true,
  });
  return released ? 'expired' : 'already_answered';
}
