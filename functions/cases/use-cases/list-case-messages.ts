import type { CaseMessage } from '../domain/case-message.js';
import type { Page, PageRequest } from '#platform/domain/page';
import type { CaseDeps } from './deps.js';
import type { CaseViewer } from '../domain/case-access.js';
import { loadCaseFor } from './case-access.js';

/**
 * A page of a case's messages (by id or number), walking back from the newest; each page oldest
 * first. The case is loaded first, as every case route loads it, so an unknown case is a 404
 * rather than an empty list.
 *
 * @throws NotFoundError when the case does not exist or the viewer may not see it.
 */
export async function listCaseMessages(
  deps: Pick<CaseDeps, 'cases'>,
  idOrNumber: string,
  page: PageRequest,
  viewer: CaseViewer,
): Promise<Page<CaseMessage>> {
  const found = await loadCaseFor(deps, viewer, idOrNumber);
  return deps.cases.listMessages(found.id, page);
}
