import type { Case } from '../domain/case.js';
import type { CaseMessage } from '../domain/case-message.js';
import { NotFoundError } from '#platform/domain/errors';
import { canSeeCase, type CaseViewer } from '../domain/case-access.js';
import type { Page } from '#platform/domain/page';
import type { CaseDeps } from './deps.js';
import { resolveCaseId } from './resolve-case-id.js';

/**
 * Messages a case read carries: the newest ones, so opening a case with thousands of messages
 * reads a bounded page; `listCaseMessages` pages back through the rest.
 */
export const CASE_DETAIL_MESSAGES = 50;

/**
 * A case (by id or number) with its newest messages, oldest first, as an agent opens it, and the
 * cursor of the older ones.
 *
 * @throws NotFoundError when no such case exists or the viewer may not see it.
 */
export async function getCaseDetail(
  deps: Pick<CaseDeps, 'cases'>,
  idOrNumber: string,
  viewer: CaseViewer,
): Promise<{ case: Case; messages: Page<CaseMessage> }> {
  const found = await deps.cases.getCaseWithMessages(await resolveCaseId(deps.cases, idOrNumber), CASE_DETAIL_MESSAGES);
  if (!found || !canSeeCase(viewer, found.case)) throw new NotFoundError('case', idOrNumber);
  return found;
}
