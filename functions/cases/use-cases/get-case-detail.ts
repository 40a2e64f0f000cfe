import type { Case } from '../domain/case.js';
import type { CaseMessage } from '../domain/case-message.js';
import { NotFoundError } from '#platform/domain/errors';
import { canSeeCase, type CaseViewer } from '../domain/case-access.js';
import type { CaseDeps } from './deps.js';
import { resolveCaseId } from './resolve-case-id.js';

/**
 * A case (by id or number) with its messages, oldest first, as an agent opens it.
 *
 * @throws NotFoundError when no such case exists or the viewer may not see it.
 */
export async function getCaseDetail(
  deps: Pick<CaseDeps, 'cases'>,
  idOrNumber: string,
  viewer: CaseViewer,
): Promise<{ case: Case; messages: CaseMessage[] }> {
  const found = await deps.cases.getCaseWithMessages(await resolveCaseId(deps.cases, idOrNumber));
  if (!found || !canSeeCase(viewer, found.case)) throw new NotFoundError('case', idOrNumber);
  return found;
}
