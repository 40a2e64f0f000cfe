import { type Actor, actorHasRole } from '#platform/domain/actor';
import { ForbiddenError } from '#platform/domain/errors';
import type { WorkRecord } from '../domain/routing-ports.js';
import type { RoutingDeps } from './deps.js';

/**
 * The work an agent holds (`GET /agents/{id}/work`): open offers, with when each expires, and
 * accepted items. Agents see their own; supervisors and admins anyone's. Offers past their expiry
 * that the timeout has not ended yet are left out: they can no longer be accepted.
 */
export async function listAgentWork(
  deps: RoutingDeps,
  input: { agentId: string },
  actor: Actor,
): Promise<{ offers: WorkRecord[]; accepted: WorkRecord[] }> {
  if (actor.id !== input.agentId && !actorHasRole(actor, ['supervisors', 'admins'])) {
    throw new ForbiddenError('agents see their own work; supervisors and admins anyone’s');
  }
  const now = deps.clock.now();
  const owned = await deps.routing.listOwnedWork(input.agentId);
  return {
    offers: owned.filter((work) => work.status === 'offered' && (!work.offerExpiresAt || Date.parse(work.offerExpiresAt) >= now)),
    accepted: owned.filter((work) => work.status === 'accepted'),
  };
}
