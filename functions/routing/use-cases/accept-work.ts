import type { Actor } from '#platform/domain/actor';
import type { Case } from '#cases';
import { diffCase } from '#cases';
import { transition } from '#cases';
import { BusinessRuleError, ContentionError, ForbiddenError, NotFoundError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { WorkRecord } from '../domain/routing-ports.js';
import { needsAgent } from '../domain/work-for-case.js';
import { type AssignmentDeps } from './deps.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';

/**
 * An agent accepts the work offered to them (`POST /work/{workId}/accept`).
 *
 * 1. Read the item: only its owner accepts, only while it is offered and the offer has not
 *    expired. Accepting again what one already accepted returns it unchanged.
 * 2. Read the case; it must still need an agent (a case resolved meanwhile cannot be accepted).
 * 3. In one transaction: the item becomes accepted (still offered to the agent under that offer)
 *    and the case gets the agent as assignee, a new case becomes open, with a `case.assigned` entry.
 *    A case changed meanwhile is read again and the commit retried.
 *
 * @throws NotFoundError, ForbiddenError, BusinessRuleError (offer not open), ContentionError
 */
export async function acceptWork(deps: AssignmentDeps, input: { workId: string }, actor: Actor): Promise<{ work: WorkRecord; case: Case }> {
  const work = await deps.routing.getWorkItem(input.workId);
  if (!work) throw new NotFoundError('work item', input.workId);
  if (work.owner === null)
    throw new BusinessRuleError(`this work is ${work.status} and offered to nobody`, { workId: work.id, status: work.status });
  if (work.owner !== actor.id) throw new ForbiddenError('only the agent the work was offered to can accept it');
  if (work.status === 'accepted') {
    const current = await deps.cases.getCase(work.caseId);
    if (current) return { work, case: current };
  }
  return assignOffered(deps, work, actor);
}

/** Steps 2–3 of accepting, shared with pulling work (which reserves and accepts at once). */
export async function assignOffered(deps: AssignmentDeps, work: WorkRecord, actor: Actor): Promise<{ work: WorkRecord; case: Case }> {
  const agentId = work.owner as string;
  if (work.status !== 'offered' || !work.offerId) {
    throw new BusinessRuleError(`this work is ${work.status}, not offered`, { workId: work.id, status: work.status });
  }
  const now = deps.clock.now();
  if (work.offerExpiresAt && Date.parse(work.offerExpiresAt) < now) {
    throw new BusinessRuleError('the offer has expired; the work goes to another agent', {
      workId: work.id,
      offerExpiresAt: work.offerExpiresAt,
    });
  }
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const current = await deps.cases.getCase(work.caseId);
    if (!current) throw new NotFoundError('case', work.caseId);
    if (!needsAgent(current)) {
      throw new BusinessRuleError(
        `the case is ${current.status}${current.assigneeId ? ` and assigned to ${current.assigneeId}` : ''}: it no longer needs an agent`,
        {
          caseId: current.id,
          status: current.status,
        },
      );
    }
    const at = new Date(deps.clock.now()).toISOString();
    const opened = current.status === 'new' ? transition(current, 'open', deps.clock) : current;
    const metrics = {
      ...opened.metrics,
      firstAssignedAt: opened.metrics.firstAssignedAt ?? work.offeredAt ?? at,
      firstAcceptedAt: opened.metrics.firstAcceptedAt ?? at,
    };
    const next: Case = { ...opened, assigneeId: agentId, metrics, version: current.version + 1, updatedAt: at };
    try {
      await deps.acceptance.commitAcceptance({
        workId: work.id,
        agentId,
        offerId: work.offerId,
        at,
        case: next,
        expectedVersion: current.version,
        timeline: [
          {
            id: deps.ids.newId(),
            caseId: current.id,
            at,
            actor: { kind: actor.kind, id: actor.id },
            action: 'case.assigned',
            changes: diffCase(current, next),
            data: { workId: work.id, offerId: work.offerId, via: 'routing' },
          },
        ],
      });
      return { work: { ...work, status: 'accepted', acceptedAt: at }, case: next };
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason === 'duplicate') {
        throw new BusinessRuleError('the offer is no longer open (it expired, was declined or the case was released)', { workId: work.id });
      }
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError('the case kept changing while the work was accepted; try again');
}
