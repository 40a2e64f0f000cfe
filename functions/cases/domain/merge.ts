/**
 * A merge of one case into another, as a resumable job. The cases change at once (the source
 * closes with a pointer, the target links it); the source's messages, notes and timeline then move
 * a page at a time, and the job records after each page where the next one starts, so a crash
 * between pages resumes where it stopped.
 */

export const MERGE_STATUSES = ['copying', 'done'] as const;
export type MergeStatus = (typeof MERGE_STATUSES)[number];

export interface MergeJob {
  /** The source case's id: a case is merged once, so its merge is named after it. */
  id: string;
  sourceId: string;
  sourceNumber: string;
  targetId: string;
  targetNumber: string;
  status: MergeStatus;
  /** Items moved so far: messages, notes and timeline entries. */
  moved: number;
  /**
   * Outbound mail of the source that the outbox had not sent yet when the last pass saw it. It moves
   * on a later pass, once sent: copying a queued message would queue it again, and it would go out twice.
   */
  heldBack: number;
  /** The sort key the current pass over the source stopped after; null at the start of a pass. */
  resumeAfter: string | null;
  /** Passes over the source so far (a pass ends when it reaches the source's last item). */
  passes: number;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** Each page's commit is conditional on it, so two workers on one job cannot both count a page. */
  version: number;
}

/** An item of the source case's partition, as the merge sees it. */
export interface CaseContentItem {
  /** Its sort key: where a pass resumes. */
  sortKey: string;
  /** Stays with the source: its own audit entry of the merge. */
  staysWithSource: boolean;
  /** Outbound mail still queued or being sent (see `MergeJob.heldBack`). */
  inFlight: boolean;
}

/** Items a page moves: within one DynamoDB transaction (100 actions) with the job's own write. */
export const MERGE_PAGE_SIZE = 90;
/** Passes a merge waits for held-back mail before it ends and leaves it with the source. */
export const MERGE_MAX_PASSES = 30;
/** Seconds between passes that wait for the outbox. */
export const MERGE_PASS_DELAY_SECONDS = 20;

/** The job after one page: what was moved, and where the next page starts (or the next pass, or the end). */
export function afterPage(
  job: MergeJob,
  page: { items: readonly CaseContentItem[]; more: boolean },
  moved: number,
  now: string,
): { job: MergeJob; next: 'page' | 'pass' | 'done' } {
  const heldBackNow = page.items.filter((item) => item.inFlight && !item.staysWithSource).length;
  const heldBack = (job.resumeAfter === null ? 0 : job.heldBack) + heldBackNow;
  const base = { ...job, moved: job.moved + moved, heldBack, updatedAt: now, version: job.version + 1 };
  if (page.more) return { job: { ...base, resumeAfter: page.items.at(-1)?.sortKey ?? job.resumeAfter }, next: 'page' };
  const passes = job.passes + 1;
  if (heldBack > 0 && passes < MERGE_MAX_PASSES) return { job: { ...base, resumeAfter: null, passes }, next: 'pass' };
  return { job: { ...base, resumeAfter: null, passes, status: 'done', finishedAt: now }, next: 'done' };
}

/** The items of a page that move now. */
export function movable<T extends CaseContentItem>(items: readonly T[]): T[] {
  return items.filter((item) => !item.staysWithSource && !item.inFlight);
}
