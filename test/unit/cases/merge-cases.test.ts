import { describe, expect, it } from 'vitest';
import { mergeCases, type MergeDeps } from '#cases/use-cases/merge-cases';
import { runMerge } from '#cases/use-cases/run-merge';
import { getMerge } from '#cases/use-cases/get-merge';
import { MERGE_PAGE_SIZE, MERGE_PASS_DELAY_SECONDS } from '#cases/domain/merge';
import { SEES_ALL } from '#cases';
import { openCase } from '#cases/use-cases/open-case';
import { ForbiddenError, NotFoundError } from '#platform/domain/errors';
import { agentActor, memoryDeps, openCaseInput, supervisorActor } from '../../support/builders.js';
import { InMemoryMergeStore } from '../../support/memory/in-memory-merge-store.js';

/** Two open cases, a merge store whose commit changes them in the case store, and a queue that records. */
async function setup() {
  const deps = memoryDeps();
  const source = await openCase(deps, openCaseInput({ subject: 'Duplicate' }), agentActor);
  const target = await openCase(deps, openCaseInput({ subject: 'Original' }), agentActor);
  const merge = new InMemoryMergeStore(async (commit) => {
    await deps.db.commitCaseChange({ case: commit.source, expectedVersion: commit.sourceVersion, timeline: commit.timeline });
    await deps.db.commitCaseChange({ case: commit.target, expectedVersion: commit.targetVersion, timeline: [] });
  });
  const enqueued: { mergeId: string; delaySeconds: number }[] = [];
  const mergeDeps: MergeDeps = {
    ...deps,
    merge,
    queue: { enqueue: async (mergeId, delaySeconds) => void enqueued.push({ mergeId, delaySeconds }) },
  };
  return { deps, mergeDeps, merge, enqueued, source, target };
}

const message = (n: number, delivery: string | null = null) => ({
  SK: `CASE#MSG#${String(n).padStart(6, '0')}`,
  entity: 'message',
  id: `m${n}`,
  messageId: `<m${n}@example.com>`,
  ...(delivery ? { delivery: { status: delivery } } : {}),
});

describe('mergeCases', () => {
  it('changes both cases at once and answers the job, handed to the worker; asking again hands the same job over again', async () => {
    const { deps, mergeDeps, enqueued, source, target } = await setup();

    const job = await mergeCases(mergeDeps, { sourceId: source.id, targetId: target.id }, supervisorActor);
    const again = await mergeCases(mergeDeps, { sourceId: source.id, targetId: target.id }, supervisorActor);

    expect(job).toMatchObject({ id: source.id, sourceId: source.id, targetId: target.id, status: 'copying', moved: 0 });
    expect(again.id).toBe(job.id);
    expect(enqueued).toEqual([
      { mergeId: source.id, delaySeconds: 0 },
      { mergeId: source.id, delaySeconds: 0 },
    ]);
    expect(deps.db.cases.get(source.id)?.relatedCases).toContainEqual({
      caseId: target.id,
      number: target.number,
      relation: 'merged_into',
    });
    expect(deps.db.cases.get(source.id)?.status).toBe('closed');
  });

  it('refuses an agent, and hands nothing over', async () => {
    const { mergeDeps, enqueued, source, target } = await setup();

    await expect(mergeCases(mergeDeps, { sourceId: source.id, targetId: target.id }, agentActor)).rejects.toBeInstanceOf(ForbiddenError);
    expect(enqueued).toEqual([]);
  });

  it('shows a merge through its source case, and an unknown one as not found', async () => {
    const { mergeDeps, source, target } = await setup();
    await mergeCases(mergeDeps, { sourceId: source.id, targetId: target.id }, supervisorActor);

    expect(await getMerge(mergeDeps, source.id, SEES_ALL)).toMatchObject({ id: source.id, status: 'copying' });
    await expect(getMerge(mergeDeps, 'no-such-merge', SEES_ALL)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('runMerge', () => {
  async function started(items: Record<string, unknown>[]) {
    const context = await setup();
    context.merge.seed(context.source.id, [
      { SK: 'CASE', entity: 'case' },
      { SK: 'SLA', entity: 'sla' },
      ...items,
      { SK: 'TIMELINE#999999', entity: 'timeline', action: 'case.merged_into' },
    ]);
    await mergeCases(context.mergeDeps, { sourceId: context.source.id, targetId: context.target.id }, supervisorActor);
    return context;
  }

  it('moves 2,000 messages page by page, deleting from the source only what it copied, and finishes the job', async () => {
    const messages = Array.from({ length: 2000 }, (_, n) => message(n));
    const { mergeDeps, merge, source, target } = await started([...messages, { SK: 'NOTE#1', entity: 'note' }]);

    const outcome = await runMerge(mergeDeps, source.id, { maxPages: 1000 });

    expect(outcome).toEqual({ status: 'done' });
    expect(merge.itemsOf(target.id)).toHaveLength(2001);
    expect(merge.itemsOf(source.id).map((item) => item.SK)).toEqual(['CASE', 'SLA', 'TIMELINE#999999']);
    expect(merge.itemsOf(target.id).every((item) => item.caseId === target.id)).toBe(true);
    expect(merge.calls.reads).toBeGreaterThanOrEqual(Math.ceil(2004 / MERGE_PAGE_SIZE));
    expect(await merge.getMergeJob(source.id)).toMatchObject({ status: 'done', moved: 2001, heldBack: 0, finishedAt: expect.any(String) });
  });

  it('stops after its share of pages and resumes where the job stopped', async () => {
    const { mergeDeps, merge, source, target } = await started(Array.from({ length: 500 }, (_, n) => message(n)));

    const first = await runMerge(mergeDeps, source.id, { maxPages: 2 });
    const afterFirst = merge.itemsOf(target.id).length;
    const second = await runMerge(mergeDeps, source.id, { maxPages: 100 });

    expect(first).toEqual({ status: 'again', delaySeconds: 0 });
    // The case item sorts first and stays: two pages move one item fewer than they read.
    expect(afterFirst).toBe(2 * MERGE_PAGE_SIZE - 1);
    expect(second).toEqual({ status: 'done' });
    expect(merge.itemsOf(target.id)).toHaveLength(500);
  });

  it('survives a crash between the copy and the commit: the page runs again and nothing is duplicated or lost', async () => {
    const { mergeDeps, merge, source, target } = await started(Array.from({ length: 300 }, (_, n) => message(n)));
    merge.failNext = 'commit';

    await expect(runMerge(mergeDeps, source.id, { maxPages: 100 })).rejects.toThrow('crashed before the commit');
    const copiedBeforeCrash = merge.itemsOf(target.id).length;
    const outcome = await runMerge(mergeDeps, source.id, { maxPages: 100 });

    expect(copiedBeforeCrash).toBeGreaterThan(0);
    expect(merge.itemsOf(source.id).map((item) => item.SK)).toEqual(['CASE', 'SLA', 'TIMELINE#999999']);
    expect(outcome).toEqual({ status: 'done' });
    expect(merge.itemsOf(target.id).map((item) => item.SK)).toEqual(messagesSks(300));
    expect((await merge.getMergeJob(source.id))?.moved).toBe(300);
  });

  it('holds queued outbound mail back until the outbox has sent it, and never copies it while queued', async () => {
    const { mergeDeps, merge, source, target } = await started([
      message(1),
      message(2, 'queued'),
      message(3, 'sending'),
      message(4, 'sent'),
    ]);

    const first = await runMerge(mergeDeps, source.id, { maxPages: 100 });
    const waiting = await merge.getMergeJob(source.id);
    const inTargetWhileQueued = merge.itemsOf(target.id).map((item) => item.SK);
    // The outbox sends both meanwhile.
    for (const n of [2, 3]) Object.assign(merge.partitions.get(source.id)!.get(message(n).SK)!, { delivery: { status: 'sent' } });
    const second = await runMerge(mergeDeps, source.id, { maxPages: 100 });

    expect(first).toEqual({ status: 'again', delaySeconds: MERGE_PASS_DELAY_SECONDS });
    expect(waiting).toMatchObject({ status: 'copying', heldBack: 2, moved: 2 });
    expect(inTargetWhileQueued).toEqual([message(1).SK, message(4).SK]);
    expect(second).toEqual({ status: 'done' });
    expect(merge.itemsOf(target.id).map((item) => (item.delivery as { status: string } | undefined)?.status ?? null)).toEqual([
      null,
      'sent',
      'sent',
      'sent',
    ]);
    expect(await merge.getMergeJob(source.id)).toMatchObject({ status: 'done', moved: 4, heldBack: 0 });
  });

  it('does not count a page twice when a rival run committed it first', async () => {
    const { mergeDeps, merge, source } = await started(Array.from({ length: 100 }, (_, n) => message(n)));
    let rivalRan = false;
    merge.beforeCommit = () => {
      if (rivalRan) return;
      rivalRan = true;
      const job = merge.jobs.get(source.id)!;
      merge.jobs.set(source.id, { ...job, version: job.version + 1 });
    };

    const outcome = await runMerge(mergeDeps, source.id, { maxPages: 100 });

    expect(outcome).toEqual({ status: 'done' });
    expect((await merge.getMergeJob(source.id))?.moved).toBe(100);
  });

  it('answers done for an unknown or finished job', async () => {
    const { mergeDeps } = await setup();

    expect(await runMerge(mergeDeps, 'no-such-merge', { maxPages: 10 })).toEqual({ status: 'done' });
  });
});

function messagesSks(count: number): string[] {
  return Array.from({ length: count }, (_, n) => message(n).SK);
}
