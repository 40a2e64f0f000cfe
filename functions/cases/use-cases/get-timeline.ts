import type { TimelineEntry } from '../domain/timeline.js';
import { NotFoundError } from '#platform/domain/errors';
import type { Page, PageRequest } from '#platform/domain/page';
import { type CaseViewer, SEES_ALL } from '../domain/case-access.js';
import { visibleCaseId } from './case-access.js';
import type { CaseDeps } from './deps.js';

/**
 * Lists a case's audit trail (by id or number), oldest first.
 *
 * 0. A viewer limited to some queues reads the case first: one they may not see is not found.
 * 1. Read a page of entries.
 * 2. An empty first page means the case itself is unknown (every case has its `case.created` entry).
 *
 * @throws NotFoundError when the case does not exist.
 */
export async function getTimeline(
  deps: Pick<CaseDeps, 'cases'>,
  caseId: string,
  page: PageRequest,
  viewer: CaseViewer = SEES_ALL,
): Promise<Page<TimelineEntry>> {
  const entries = await deps.cases.listTimeline(await visibleCaseId(deps, viewer, caseId), page);
  if (entries.items.length === 0 && !page.cursor) throw new NotFoundError('case', caseId);
  return entries;
}
