import { type Actor, actorHasRole, type Role } from '#platform/domain/actor';
import type { Case } from '../domain/case.js';
import { transition } from '../domain/transition.js';
import { isoNow } from '#platform/domain/clock';
import { BusinessRuleError, ForbiddenError, VersionConflictError } from '#platform/domain/errors';
import { type CaseEndings, type CaseMergeStore } from '../domain/case-ports.js';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { type CaseDeps } from './deps.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import { type CaseViewer, SEES_ALL } from '../domain/case-access.js';
import { loadCaseFor } from './case-access.js';
import { endsTheCase } from './update-case.js';

const MERGE_ROLES: readonly Role[] = ['supervisors', 'admins'];

/**
 * Merges a duplicate case into another (supervisors and admins).
 *
 * 1. Read both; refuse merging a case into itself, a case merged elsewhere, or into a closed or
 *    merged case. A source already merged into this target resumes at step 3 (an interrupted merge
 *    is finished by running it again).
 * 2. Commit in one transaction: the source closed with a `merged_into` pointer, the target with a
 *    `merged_from` link and the source's participants and tags, and an audit entry on each; both
 *    only if unchanged since step 1. Closing the source ends what other features kept open for it
 *    (its open callbacks), in the same transaction, as any close does.
 * 3. Copy the source's messages, notes and timeline into the target and point its Message-IDs at
 *    the target, so later replies to either thread onto the target; then remove the originals.
 *    The source stays in its customer's history, closed, pointing at the target.
 */
export async function mergeCases(
  deps: Pick<CaseDeps, 'cases' | 'clock' | 'ids' | 'backoff'> & { merge: CaseMergeStore; endings: CaseEndings },
  input: { sourceId: string; targetId: string; viewer?: CaseViewer | undefined },
  actor: Actor,
): Promise<Case> {
  if (!actorHasRole(actor, MERGE_ROLES))
    throw new ForbiddenError('only supervisors and admins merge cases', { requiredGroups: MERGE_ROLES });
  const viewer = input.viewer ?? SEES_ALL;
  const source = await loadCaseFor(deps, viewer, input.sourceId);
  const target = await loadCaseFor(deps, viewer, input.targetId);
  const mergedInto = (c: Case) => c.relatedCases.find((related) => related.relation === 'merged_into');
  if (source.id === target.id) throw new BusinessRuleError('a case cannot be merged into itself');
  if (mergedInto(source)?.caseId === target.id) return moveContent(deps, source.id, target);
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
        alongside,
      });
      break;
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason !== 'dependent' || attempt >= MAX_COMMIT_ATTEMPTS) throw new VersionConflictError('case', source.id, source.version);
      await deps.backoff(attempt);
    }
  }
  return moveContent(deps, source.id, mergedTarget);
}

async function moveContent(deps: { merge: CaseMergeStore }, sourceId: string, target: Case): Promise<Case> {
  await deps.merge.copyCaseContent(sourceId, target.id);
  await deps.merge.removeCopiedContent(sourceId);
  return target;
}
