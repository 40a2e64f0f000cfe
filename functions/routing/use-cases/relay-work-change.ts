import type { WorkEvent, WorkEventPublisher, WorkRecord } from '../domain/routing-ports.js';
import type { RoutingDeps } from './deps.js';

/**
 * Turns each change of a work item (from the agent-state table stream) into what must follow it:
 * the table is routing's outbox, so a message is never lost between a committed change and a
 * failed send. The stream retries until every send succeeded; receivers tolerate repeats.
 *
 * - The item (re)entered the backlog: ask a router to place it; right after a decline or a
 *   lapsed offer, with its decliners left out.
 * - A new offer: publish `work.offered` and ask for the offer to be ended when its time is up.
 * - Accepted, declined, timed out, released: publish `work.accepted`, `work.declined`,
 *   `work.timed_out`, `work.released`.
 */
export async function relayWorkChange(
  deps: RoutingDeps & { events: WorkEventPublisher },
  input: { before: WorkRecord | null; after: WorkRecord },
): Promise<WorkEvent['type'][]> {
  const { before, after } = input;
  const events: WorkEvent[] = [];

  if (after.status === 'waiting' && (before?.status !== 'waiting' || before.caseVersion !== after.caseVersion)) {
    const afterRelease = before?.status === 'offered' && (after.releaseReason === 'declined' || after.releaseReason === 'timed_out');
    await deps.messages.route(after, { delaySeconds: 0, excludeDecliners: afterRelease });
  }
  if (after.status === 'offered' && after.offerId && after.owner && after.offerId !== before?.offerId) {
    const remaining = after.offerExpiresAt
      ? Math.ceil((Date.parse(after.offerExpiresAt) - deps.clock.now()) / 1000)
      : deps.settings.offerTimeoutSeconds;
    await deps.messages.expireOfferLater(
      { workId: after.id, queue: after.queue, agentId: after.owner, offerId: after.offerId },
      Math.max(0, remaining),
    );
    events.push({ type: 'work.offered', work: after, agentId: after.owner });
  }
  if (before?.owner && (before.status === 'offered' || before.status === 'accepted')) {
    if (after.status === 'accepted' && before.status === 'offered')
      events.push({ type: 'work.accepted', work: after, agentId: before.owner });
    if (after.owner === null) {
      const type =
        after.releaseReason === 'declined' ? 'work.declined' : after.releaseReason === 'timed_out' ? 'work.timed_out' : 'work.released';
      events.push({ type, work: after, agentId: before.owner });
    }
  }
  if (events.length > 0) await deps.events.publish(events);
  return events.map((event) => event.type);
}
