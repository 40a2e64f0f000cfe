import { NotFoundError } from '#platform/domain/errors';
import type { CaseMergeStore } from '../domain/case-ports.js';
import type { MergeJob } from '../domain/merge.js';
import type { CaseDeps } from './deps.js';
import type { CaseViewer } from '../domain/case-access.js';
import { loadCaseFor } from './case-access.js';

/**
 * A merge job and its progress. The merged case is loaded first, as every case route loads it, so
 * a merge of a case the caller may not see is as unknown as the case.
 *
 * @throws NotFoundError when there is no such merge.
 */
export async function getMerge(
  deps: Pick<CaseDeps, 'cases'> & { merge: CaseMergeStore },
  id: string,
  viewer: CaseViewer,
): Promise<MergeJob> {
  const job = await deps.merge.getMergeJob(id);
  if (!job) throw new NotFoundError('merge', id);
  await loadCaseFor(deps, viewer, job.sourceId);
  return job;
}
