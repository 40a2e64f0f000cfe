import { isoNow } from '#platform/domain/clock';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { Clock } from '#platform/domain/clock';
import type { CaseMergeStore } from '../domain/case-ports.js';
import { afterPage, MERGE_PAGE_SIZE, MERGE_PASS_DELAY_SECONDS, movable } from '../domain/merge.js';

/** What happens to a job after a run: it is finished, or it runs again after a delay. */
export type MergeRunOutcome = { status: 'done' } | { status: 'again'; delaySeconds: number };

/**
 * Moves a merge job on by at most `maxPages` pages (the merge worker's share of one invocation).
 *
 * Each page: read up to MERGE_PAGE_SIZE items of the source after where the job stopped; copy the
 * ones that may move into the target (safe to repeat); then, in one transaction, delete exactly
 * those from the source and store the job's new position. A crash before the transaction repeats
 * the page (the copies are overwritten, nothing is duplicated); after it, the next run starts at the
 * next page. Outbound mail not yet sent stays behind until a later pass (see `MergeJob.heldBack`).
 * A commit refused because another run moved the job on is not an error: the job is read again.
 */
export async function runMerge(
  deps: { merge: CaseMergeStore; clock: Clock },
  mergeId: string,
  options: { maxPages: number },
): Promise<MergeRunOutcome> {
  for (let pages = 0; pages < options.maxPages; pages++) {
    const job = await deps.merge.getMergeJob(mergeId);
    if (!job || job.status === 'done') return { status: 'done' };
    const page = await deps.merge.readContentPage(job.sourceId, job.resumeAfter, MERGE_PAGE_SIZE);
    const moving = movable(page.items);
    await deps.merge.copyContent(job.targetId, moving);
    const next = afterPage(job, page, moving.length, isoNow(deps.clock));
    try {
      await deps.merge.commitPage(next.job, job.version, moving);
    } catch (error) {
      if (error instanceof CommitConflict) continue;
      throw error;
    }
    if (next.next === 'done') return { status: 'done' };
    if (next.next === 'pass') return { status: 'again', delaySeconds: MERGE_PASS_DELAY_SECONDS };
  }
  return { status: 'again', delaySeconds: 0 };
}
