import { type Actor, actorHasRole, type Role } from '#platform/domain/actor';
import type { Case, CaseStatus, CustomFieldValue, Priority } from '../domain/case.js';
import { assertNoReservedCustomFields, CASE_LIMITS } from '../domain/case.js';
import { diffCase } from '../domain/timeline.js';
import { eventForStatusChange, transition } from '../domain/transition.js';
import { isoNow } from '#platform/domain/clock';
import { ForbiddenError, IllegalTransitionError, ValidationError, VersionConflictError } from '#platform/domain/errors';
import { type CaseEndings } from '../domain/case-ports.js';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { type CaseDeps } from './deps.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import { type CaseViewer, SEES_ALL } from '../domain/case-access.js';
import { loadCaseFor } from './case-access.js';

/** Who assigns cases by hand (routing assigns the rest). */
const ASSIGN_ROLES: readonly Role[] = ['supervisors', 'admins'];

/**
 * A quarantined case holds mail SES judged spam or infected: letting it into the queues (and its
 * attachments out of quarantine) is a supervisor's call.
 */
const RELEASE_ROLES: readonly Role[] = ['supervisors', 'admins'];

/** Closed is final for agents: the customer's next message opens a new case instead. */
const REOPEN_CLOSED_ROLES: readonly Role[] = ['supervisors', 'admins'];

export interface CaseChanges {
  status?: CaseStatus | undefined;
  /** Must be true to move a closed case back to `open`. */
  reopen?: boolean | undefined;
  priority?: Priority | undefined;
  category?: string | null | undefined;
  queue?: string | undefined;
  /** Assigns the case by hand (null unassigns): routing frees the previous owner's weight. */
  assigneeId?: string | null | undefined;
  tags?: string[] | undefined;
  /** Merged into the case's fields; a null value removes the field. Reserved names are refused. */
  customFields?: Record<string, CustomFieldValue> | undefined;
}

/**
 * Changes a case (by id or number) the caller last saw at `expectedVersion`.
 *
 * 1. Read the case; refuse a stale version at once (the commit re-checks it atomically).
 * 2. Apply a status change through the lifecycle's `transition`, then the plain fields.
 * 3. Record every changed field, before and after, in one `case.updated` audit entry.
 * 4. A case that becomes resolved or closed ends what other features kept open for it (its open
 *    callbacks): their writes are read now and join the commit.
 * 5. Commit case, entry and those writes together, only if the version is still the expected one;
 *    when only the other features' records changed meanwhile, read them again and retry.
 *
 * A request that changes nothing returns the case as it is, without a new version.
 *
 * Reopening a closed case and releasing a quarantined one are reserved to supervisors and admins;
 * a case the viewer may not see is not found (absent viewer: a trigger acting for the system).
 *
 * @throws NotFoundError, VersionConflictError, IllegalTransitionError, ValidationError, ForbiddenError
 */
export async function updateCase(
  deps: CaseDeps & { endings: CaseEndings },
  input: { id: string; expectedVersion: number; changes: CaseChanges; viewer?: CaseViewer | undefined },
  actor: Actor,
): Promise<Case> {
  assertNoReservedCustomFields(input.changes.customFields);
  const current = await loadCaseFor(deps, input.viewer ?? SEES_ALL, input.id);
  if (current.version !== input.expectedVersion) {
    throw new VersionConflictError('case', current.id, input.expectedVersion, current.version);
  }

  const changed = applyChanges(deps, current, input.changes, actor);
  const changes = diffCase(current, changed);
  if (changes.length === 0) return current;

  const now = isoNow(deps.clock);
  const next: Case = { ...changed, version: current.version + 1, updatedAt: now };
  const timeline = [
    { id: deps.ids.newId(), caseId: current.id, at: now, actor: { kind: actor.kind, id: actor.id }, action: 'case.updated', changes },
  ];
  for (let attempt = 1; ; attempt++) {
    const alongside = endsTheCase(current, next) ? await deps.endings.endWith(next, { at: now, actor }) : [];
    try {
      await deps.cases.commitCaseChange({ case: next, expectedVersion: current.version, timeline, alongside });
      return next;
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason !== 'dependent' || attempt >= MAX_COMMIT_ATTEMPTS)
        throw new VersionConflictError('case', current.id, input.expectedVersion);
      await deps.backoff(attempt);
    }
  }
}

/** Whether a change resolves or closes the case (what other features keep for an open case ends then). */
export function endsTheCase(before: Pick<Case, 'status'>, after: Pick<Case, 'status'>): boolean {
  const ended = (status: Case['status']) => status === 'resolved' || status === 'closed';
  return !ended(before.status) && ended(after.status);
}

function applyChanges(deps: CaseDeps, current: Case, changes: CaseChanges, actor: Actor): Case {
  let next = current;
  if (changes.status && changes.status !== current.status) {
    const event = eventForStatusChange(current.status, changes.status, changes.reopen === true);
    if (!event) {
      const hint = current.status === 'closed' ? 'send "reopen": true to reopen a closed case' : undefined;
      throw new IllegalTransitionError(current.status, `move to ${changes.status}`, hint);
    }
    if (current.status === 'closed' && !actorHasRole(actor, REOPEN_CLOSED_ROLES)) {
      throw new ForbiddenError('only supervisors and admins reopen a closed case', { requiredGroups: REOPEN_CLOSED_ROLES });
    }
    if (event === 'release' && !actorHasRole(actor, RELEASE_ROLES)) {
      throw new ForbiddenError('only supervisors and admins release a quarantined case', { requiredGroups: RELEASE_ROLES });
    }
    next = transition(next, event, deps.clock);
  }
  if (changes.assigneeId !== undefined && changes.assigneeId !== current.assigneeId) {
    const givingBackOwn = changes.assigneeId === null && current.assigneeId === actor.id;
    if (!givingBackOwn && !actorHasRole(actor, ASSIGN_ROLES)) {
      throw new ForbiddenError('only supervisors and admins assign cases; an agent may only give back their own (assigneeId null)', {
        requiredGroups: ASSIGN_ROLES,
      });
    }
  }
  if (changes.queue !== undefined && !deps.settings.queues.some((queue) => queue.name === changes.queue)) {
    throw new ValidationError('unknown queue', [{ path: 'queue', message: `no queue named '${changes.queue}'` }]);
  }
  return {
    ...next,
    priority: changes.priority ?? next.priority,
    category: changes.category === undefined ? next.category : changes.category,
    queue: changes.queue ?? next.queue,
    assigneeId: changes.assigneeId === undefined ? next.assigneeId : changes.assigneeId,
    metrics: assignedByHand(next, changes.assigneeId, isoNow(deps.clock)),
    tags: changes.tags === undefined ? next.tags : [...new Set(changes.tags.map((tag) => tag.trim()).filter(Boolean))],
    customFields: changes.customFields === undefined ? next.customFields : mergeCustomFields(next.customFields, changes.customFields),
  };
}

/** A supervisor's assignment is the case's first assignment and acceptance when routing made none. */
function assignedByHand(c: Case, assigneeId: string | null | undefined, at: string): Case['metrics'] {
  if (!assigneeId || assigneeId === c.assigneeId) return c.metrics;
  return { ...c.metrics, firstAssignedAt: c.metrics.firstAssignedAt ?? at, firstAcceptedAt: c.metrics.firstAcceptedAt ?? at };
}

function mergeCustomFields(
  current: Record<string, CustomFieldValue>,
  patch: Record<string, CustomFieldValue>,
): Record<string, CustomFieldValue> {
  const merged: Record<string, CustomFieldValue> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > CASE_LIMITS.customFieldsMax) {
    throw new ValidationError('too many custom fields', [
      { path: 'customFields', message: `a case holds at most ${CASE_LIMITS.customFieldsMax} custom fields` },
    ]);
  }
  return merged;
}
