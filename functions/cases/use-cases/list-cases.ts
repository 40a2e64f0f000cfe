import type { Case } from '../domain/case.js';
import type { CaseQuery } from '../domain/case-ports.js';
import type { Page } from '#platform/domain/page';
import type { CaseViewer } from '../domain/case-access.js';
import type { CaseDeps } from './deps.js';

/**
 * Lists cases newest first by any combination of filters; the store serves it from an index and
 * leaves out, inside the query, the cases the viewer may not see, so pages stay full (a page cut
 * short by a sparse filter still carries the cursor of the rest).
 */
export async function listCases(deps: Pick<CaseDeps, 'cases'>, query: CaseQuery, viewer: CaseViewer): Promise<Page<Case>> {
  return deps.cases.listCases({ ...query, viewer });
}
