import type { Case } from '../domain/case.js';
import type { CaseQuery } from '../domain/case-ports.js';
import type { Page } from '#platform/domain/page';
import type { CaseDeps } from './deps.js';

/** Lists cases newest first by any combination of filters; the store serves it from an index. */
export async function listCases(deps: Pick<CaseDeps, 'cases'>, query: CaseQuery): Promise<Page<Case>> {
  return deps.cases.listCases(query);
}
