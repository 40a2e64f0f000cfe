import { type Actor, actorHasRole, type Role } from '#platform/domain/actor';
import type { Case } from '../domain/case.js';
import { transition } from '../domain/transition.js';
import { isoNow } from '#platform/domain/clock';
import { BusinessRuleError, ForbiddenError, VersionConflictError } from '#platform/domain/errors';
import { type CaseEndings, type CaseMergeStore, type MergeQueue } from '../domain/case-ports.js';
import type { MergeJob } from '../domain/merge.js';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { type CaseDeps } from './deps.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import { type CaseViewer, SEES_ALL } from '../domain/case-access.js';
import { loadCaseFor } from './case-access.js';
import { endsTheCase } from './update-case.js';

const MERGE_ROLES: readonly Role[] = ['supervisors', 'admins'];

/** What merging needs beside the case deps: the merge store, the job queue, and what ends with a closed case. */
export type MergeDeps = Pick<CaseDeps, 'cases' | 'clock' | 'ids' | 'backoff'> & {
  merge: CaseMergeStore;
  queue: MergeQueue;
  endings: CaseEndings;
};

/**
 * Merges a duplicate case into another (supervisors and admins), answering with the merge job.
 *
 * 1. Read both (through `getCase`, so the rules on reading a case apply); refuse merging a case
 *    into itself, a case merged elsewhere, or into a closed or merged case. A source already merged
 *    into this target answers its job and hands it to the worker again (an interrupted merge is
 *    finished by asking again).
 * 2. Commit in one transaction: the source closed with a `merged_into` pointer, the target with a
 *    `merged_from` link and the source's participants and tags, an audit entry on each, and the
 *    job; both cases only if unchanged since step 1. Closing the source ends what other features
 *    kept open for it (its open callbacks), in the same transaction, as any close does.
 * 3. Hand the job to the merge worker (`runMerge`), which moves the messages, notes and timeline.
 */
export async function mergeCases(
  deps: MergeDeps,
  input: { sourceId: string; targetId: string; viewer?: CaseViewer | undefined },
  actor: Actor,
): Promise<MergeJob> {
  if (!actorHasRole(actor, MERGE_ROLES))
    throw new ForbiddenError('only supervisors and admins merge cases', { requiredGroups: MERGE_ROLES });
  const viewer = input.viewer ?? SEES_ALL;
  const source = await loadCaseFor(deps, viewer, input.sourceId);
  const target = await loadCaseFor(deps, viewer, input.targetId);
  const mergedInto = (c: Case) => c.relatedCases.find((related) => related.relation === 'merged_into');
  if (source.id === target.id) throw new BusinessRuleError('a case cannot be merged into itself');
  if (mergedInto(source)?.caseId === target.id) return resume(deps, source, target, actor);
  if (mergedInto(source)) throw new BusinessRuleError(`${source.number} is merged already`, { into: mergedInto(source) });
  if (target.status === 'closed' || mergedInto(target)) throw new BusinessRuleError(`${target.number} is closed and takes no merge`);

  const now = isoNow(deps.clock);
  const closed = source.status === 'closed' ? source : transition(source, 'close', deps.clock);
  const mergedSource: Case = {
    ...closed,
    relatedCases: [...source.relatedCases, { caseId: target.id, number: target.number, relation: 'merged_into' }],
    updatedAt: now,
    version: source.version + 1,
  };
  const mergedTarget: Case = {
    ...target,
    participants: [...new Set([...target.participants, ...source.participants])].slice(0, 50),
    tags: [...new Set([...target.tags, ...source.tags])],
    relatedCases: [...target.relatedCases, { caseId: source.id, number: source.number, relation: 'merged_from' }],
    updatedAt: now,
    version: target.version + 1,
  };
  const who = { kind: actor.kind, id: actor.id };
  const sourceEntry = {
    id: deps.ids.newId(),
    caseId: source.id,
    at: now,
    actor: who,
    action: 'case.merged_into',
    changes: [{ field: 'status', before: source.status, after: mergedSource.status }],
    data: { caseId: target.id, number: target.number },
  };
  const job = newJob(source, target, actor, now);
  const timeline = [
    sourceEntry,
    {
      id: deps.ids.newId(),
      caseId: target.id,
      at: now,
      actor: who,
      action: 'case.merged_from',
      changes: [],
      data: { caseId: source.id, number: source.number },
    },
  ];
  for (let attempt = 1; ; attempt++) {
    const alongside = endsTheCase(source, mergedSource) ? await deps.endings.endWith(mergedSource, { at: now, actor }) : [];
    try {
      await deps.merge.commitMerge({
        source: mergedSource,
        sourceVersion: source.version,
        target: mergedTarget,
        targetVersion: target.version,
        timeline,
        job,
        alongside,
      });
      break;
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason !== 'dependent' || attempt >= MAX_COMMIT_ATTEMPTS) throw new VersionConflictError('case', source.id, source.version);
      await deps.backoff(attempt);
    }
  }
  await deps.queue.enqueue(job.id, 0);
  return job;
}

function newJob(source: Case, target: Case, actor: Actor, now: string): MergeJob {
  return {
    id: source.id,
    sourceId: source.id,
    sourceNumber: source.number,
    targetId: target.id,
    targetNumber: target.number,
    status: 'copying',
    moved: 0,
    heldBack: 0,
    resumeAfter: null,
    passes: 0,
    requestedBy: actor.id,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    version: 1,
  };
}

/** A merge asked for again: its job, stored if the first request stopped before, handed to the worker unless done. */
async function resume(deps: MergeDeps, source: Case, target: Case, actor: Actor): Promise<MergeJob> {
  let job = await deps.merge.getMergeJob(source.id);
  if (!job) {
    await deps.merge.createMergeJob(newJob(source, target, actor, isoNow(deps.clock)));
    job = await deps.merge.getMergeJob(source.id);
  }
  if (!job) throw new Error(`the merge job of ${source.id} was stored but cannot be read`);
  if (job.status !== 'done') await deps.queue.enqueue(job.id, 0);
  return job;
}
