import type { Actor } from '#platform/domain/actor';
import { NotFoundError } from '#platform/domain/errors';
import type { Case } from '../domain/case.js';
import { type AgentCaseAccess, canSeeCase, caseViewer, type CaseViewer, SEE_ALL_CASES_ROLES } from '../domain/case-access.js';
import type { CaseStore, StaffQueues } from '../domain/case-ports.js';
import { actorHasRole } from '#platform/domain/actor';
import { resolveCaseId } from './resolve-case-id.js';

/** What deciding who sees which case needs: the deployment's setting and the staff's queues. */
export interface CaseAccessDeps {
  caseAccess: AgentCaseAccess;
  staff: StaffQueues;
}

/**
 * The caller as case visibility sees them. Only an agent under the `queues` setting costs a read
 * (their profile's queues), so supervisors, admins and the system never wait on it.
 */
export async function viewerOf(deps: CaseAccessDeps, actor: Actor): Promise<CaseViewer> {
  if (deps.caseAccess === 'all' || actorHasRole(actor, SEE_ALL_CASES_ROLES)) return caseViewer(actor, [], deps.caseAccess);
  return caseViewer(actor, await deps.staff.queuesServedBy(actor.id), deps.caseAccess);
}

/**
 * A case (by id or number) for a viewer: the one way every route reads a case before showing or
 * changing anything of it.
 *
 * @throws NotFoundError when the case does not exist or the viewer may not see it: the same answer,
 * so a case's existence does not leak to someone outside its queue.
 */
export async function loadCaseFor(
  deps: { cases: Pick<CaseStore, 'getCase' | 'findCaseIdBySequence'> },
  viewer: CaseViewer,
  idOrNumber: string,
): Promise<Case> {
  const found = await deps.cases.getCase(await resolveCaseId(deps.cases, idOrNumber));
  if (!found || !canSeeCase(viewer, found)) throw new NotFoundError('case', idOrNumber);
  return found;
}

/** Refuses a case the viewer may not see, as if it did not exist. @throws NotFoundError */
export function assertCanSee(viewer: CaseViewer, c: Pick<Case, 'queue' | 'assigneeId'>, idOrNumber: string): void {
  if (!canSeeCase(viewer, c)) throw new NotFoundError('case', idOrNumber);
}

/**
 * The id of a case (by id or number) the viewer may see: for a viewer who sees all, without reading
 * the case; for an agent, by reading it (`loadCaseFor`). For routes that read something else of the
 * case (its timeline, routing record, SLA) by its id.
 *
 * @throws NotFoundError
 */
export async function visibleCaseId(
  deps: { cases: Pick<CaseStore, 'getCase' | 'findCaseIdBySequence'> },
  viewer: CaseViewer,
  idOrNumber: string,
): Promise<string> {
  if (viewer.scope === 'all') return resolveCaseId(deps.cases, idOrNumber);
  return (await loadCaseFor(deps, viewer, idOrNumber)).id;
}
