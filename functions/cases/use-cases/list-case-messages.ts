import type { CaseMessage } from '../domain/case-message.js';
import type { Page, PageRequest } from '#platform/domain/page';
import type { CaseDeps } from './deps.js';
import { getCase } from './get-case.js';

/**
 * A page of a case's messages (by id or number), walking back from the newest; each page oldest
 * first. The case is loaded first, as every case route loads it, so an unknown case is a 404
 * rather than an empty list.
 *
 * @throws NotFoundError when the case does not exist.
 */
export async function listCaseMessages(deps: Pick<CaseDeps, 'cases'>, idOrNumber: string, page: PageRequest): Promise<Page<CaseMessage>> {
  const found = await getCase(deps, idOrNumber);
  return deps.cases.listMessages(found.id, page);
}
