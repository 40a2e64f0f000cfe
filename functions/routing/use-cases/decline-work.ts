import type { Actor } from '#platform/domain/actor';
import { BusinessRuleError, ForbiddenError, NotFoundError } from '#platform/domain/errors';
import type { WorkRecord } from '../domain/routing-ports.js';
import type { RoutingDeps } from './deps.js';

/**
 * An agent declines the work offered to them (`POST /work/{workId}/decline`).
 *
 * 1. Read the item: only its owner declines, only while it is offered.
 * 2. Release it in one transaction: the agent's load shrinks by its weight, the item goes back to
 *    the backlog with the agent among its decliners. The change itself asks a router to place it
 *    again, with the decliners left out (see `relayWorkChange`), and frees the agent's room for
 *    other work (see `drainBacklog`).
 *
 * @throws NotFoundError, ForbiddenError, BusinessRuleError (not offered any more)
 */
export async function declineWork(deps: RoutingDeps, input: { workId: string }, actor: Actor): Promise<WorkRecord> {
  const work = await deps.routing.getWorkItem(input.workId);
  if (!work) throw new NotFoundError('work item', input.workId);
  if (work.owner !== actor.id) throw new ForbiddenError('only the agent the work was offered to can decline it');
  if (work.status !== 'offered') {
    throw new BusinessRuleError(
      `this work is ${work.status}; only an offer can be declined (give accepted work back by unassigning the case)`,
      {
        workId: work.id,
        status: work.status,
      },
    );
  }
  const at = new Date(deps.clock.now()).toISOString();
  const released = await deps.routing.release({
    agentId: actor.id,
    workId: work.id,
    weight: work.weight,
    at,
    reason: 'declined',
    requeue: true,
    offerId: work.offerId ?? undefined,
  });
  if (!released) throw new BusinessRuleError('the offer is no longer open (it expired or was answered)', { workId: work.id });
  return {
    ...work,
    status: 'waiting',
    owner: null,
    declinedBy: [...work.declinedBy, actor.id],
    releasedAt: at,
    releaseReason: 'declined',
  };
}
