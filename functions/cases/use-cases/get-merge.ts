import { NotFoundError } from '#platform/domain/errors';
import type { CaseMergeStore } from '../domain/case-ports.js';
import type { MergeJob } from '../domain/merge.js';
import type { CaseDeps } from './deps.js';
import { getCase } from './get-case.js';

/**
 * A merge job and its progress. The merged case is loaded first, as every case route loads it, so
 * a merge of a case the caller may not see is as unknown as the case.
 *
 * @throws NotFoundError when there is no such merge.
 */
export async function getMerge(deps: Pick<CaseDeps, 'cases'> & { merge: CaseMergeStore }, id: string): Promise<MergeJob> {
  const job = await deps.merge.getMergeJob(id);
  if (!job) throw new NotFoundError('merge', id);
  await getCase(deps, job.sourceId);
  return job;
}
