import { NotFoundError } from '#platform/domain/errors';
import type { WorkRecord } from '../domain/routing-ports.js';
import type { RoutingDeps } from './deps.js';

/**
 * A case's routing as it stands (`GET /cases/{id}/routing`): its work item, who holds it, and the
 * decision record of the latest placement: every candidate with skills, load and idle time, the
 * step in force, and why the winner won (or why nobody could take it).
 *
 * @throws NotFoundError when the case never needed routing
 */
export async function getRoutingRecord(deps: RoutingDeps, input: { caseId: string }): Promise<WorkRecord> {
  const work = await deps.routing.getWorkItem(input.caseId);
  if (!work) throw new NotFoundError('routing record of case', input.caseId);
  return work;
}
