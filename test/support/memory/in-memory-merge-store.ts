import type { CaseContentPage, CaseMergeStore } from '#cases/domain/case-ports';
import type { MergeJob } from '#cases/domain/merge';
import { CommitConflict } from '#platform/domain/commit-conflict';

type Stored = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The merge store in memory: each case's partition as items by sort key (in sort-key order, as
 * DynamoDB keeps them), and the jobs. `failNext` lets a test crash a step once, as a worker would.
 */
export class InMemoryMergeStore implements CaseMergeStore {
  readonly partitions = new Map<string, Map<string, Stored>>();
  readonly jobs = new Map<string, MergeJob>();
  readonly calls = { reads: 0, copies: 0, commits: 0 };
  failNext: 'copy' | 'commit' | null = null;
  /** Runs before each page's commit; a test uses it to let a rival run slip in. */
  beforeCommit: (() => void) | null = null;

  /** @param casesCommit the commit of the two cases in a test's own case store (none by default) */
  constructor(
    private readonly casesCommit: (commit: Parameters<CaseMergeStore['commitMerge']>[0]) => Promise<void> = async () => undefined,
  ) {}

  /** Puts items into a case's partition (`SK` and `entity` as the DynamoDB items have them). */
  seed(caseId: string, items: Stored[]): void {
    const partition = this.partitions.get(caseId) ?? new Map<string, Stored>();
    for (const item of items) partition.set(String(item.SK), { ...clone(item), PK: `CASE#${caseId}`, caseId });
    this.partitions.set(caseId, partition);
  }

  /** A case's items in sort-key order. */
  itemsOf(caseId: string): Stored[] {
    return [...(this.partitions.get(caseId)?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
  }

  async commitMerge(commit: Parameters<CaseMergeStore['commitMerge']>[0]): Promise<void> {
    if (this.jobs.has(commit.job.id)) throw new CommitConflict('version');
    await this.casesCommit(commit);
    this.jobs.set(commit.job.id, clone(commit.job));
  }

  async getMergeJob(id: string): Promise<MergeJob | null> {
    const job = this.jobs.get(id);
    return job ? clone(job) : null;
  }

  async createMergeJob(job: MergeJob): Promise<void> {
    if (!this.jobs.has(job.id)) this.jobs.set(job.id, clone(job));
  }

  async readContentPage(sourceId: string, after: string | null, limit: number): Promise<CaseContentPage> {
    this.calls.reads += 1;
    const all = this.itemsOf(sourceId).filter((item) => after === null || String(item.SK) > after);
    const page = all.slice(0, limit);
    return {
      items: page.map((stored) => {
        const status = (stored.delivery as { status?: string } | undefined)?.status;
        return {
          sortKey: String(stored.SK),
          staysWithSource: stored.SK === 'CASE' || stored.SK === 'SLA' || stored.action === 'case.merged_into',
          inFlight: stored.entity === 'message' && (status === 'queued' || status === 'sending'),
          stored: clone(stored),
        };
      }),
      more: all.length > limit,
    };
  }

  async copyContent(targetId: string, items: CaseContentPage['items']): Promise<void> {
    this.calls.copies += 1;
    this.seed(
      targetId,
      items.map(({ stored }) => stored),
    );
    if (this.failNext === 'copy') {
      this.failNext = null;
      throw new Error('crashed after the copy');
    }
  }

  async commitPage(job: MergeJob, expectedVersion: number, copied: CaseContentPage['items']): Promise<void> {
    this.beforeCommit?.();
    if (this.failNext === 'commit') {
      this.failNext = null;
      throw new Error('crashed before the commit');
    }
    if (this.jobs.get(job.id)?.version !== expectedVersion) throw new CommitConflict('version');
    this.calls.commits += 1;
    for (const { stored } of copied) this.partitions.get(job.sourceId)?.delete(String(stored.SK));
    this.jobs.set(job.id, clone(job));
  }
}
