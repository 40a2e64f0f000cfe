import type { TimelineEntry } from '../domain/timeline.js';
import { NotFoundError } from '#platform/domain/errors';
import type { Page, PageRequest } from '#platform/domain/page';
import type { CaseDeps } from './deps.js';
import { resolveCaseId } from './resolve-case-id.js';

/**
 * Lists a case's audit trail (by id or number), oldest first.
 *
 * 1. Read a page of entries.
 * 2. An empty first page means the case itself is unknown (every case has its `case.created` entry).
 *
 * @throws NotFoundError when the case does not exist.
 */
export async function getTimeline(deps: Pick<CaseDeps, 'cases'>, caseId: string, page: PageRequest): Promise<Page<TimelineEntry>> {
  const entries = await deps.cases.listTimeline(await resolveCaseId(deps.cases, caseId), page);
  if (entries.items.length === 0 && !page.cursor) throw new NotFoundError('case', caseId);
  return entries;
}
