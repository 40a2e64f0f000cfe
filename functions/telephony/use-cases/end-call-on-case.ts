import { type Actor, systemActor } from '#platform/domain/actor';
import type { Case } from '#cases';
import { diffCase } from '#cases';
import { transition } from '#cases';
import type { Clock } from '#platform/domain/clock';
import { ContentionError } from '#platform/domain/errors';
import type { IdGenerator } from '#platform/domain/ids';
import { type CaseStore } from '#cases';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';

export interface EndCallDeps {
  cases: Pick<CaseStore, 'getCase' | 'commitCaseChange'>;
  clock: Clock;
  ids: IdGenerator;
  backoff: (attempt: number) => Promise<void>;
}

export type EndCallOutcome = 'assigned' | 'released' | 'unchanged' | 'no_case';

const CONNECT: Actor = systemActor('connect');

/**
 * A call the contact flow gave a case has ended: the case is Switchboard's again.
 *
 * 1. While the call lasted, Amazon Connect routed it, so the case opened for it carried
 *    `connectCallInProgress` and Switchboard's router left it alone (`needsAgent`). The flag goes.
 * 2. A call that reached an agent we know (by the Connect agent ARN): an unassigned case becomes
 *    theirs and `open`, and the call is its first response (the customer was answered), with the
 *    assignment and acceptance metrics at the moment the call was connected.
 * 3. A call nobody answered leaves the case unassigned: it is routed like any other (its callback
 *    is on its way too).
 * 4. Commit with a `call.ended` audit entry only if the case did not change meanwhile; else read
 *    again. Running twice changes nothing the second time.
 */
export async function endCallOnCase(
  deps: EndCallDeps,
  input: { caseId: string; contactId: string; agentId: string | null; connectedAt: string | null },
): Promise<EndCallOutcome> {
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const current = await deps.cases.getCase(input.caseId);
    if (!current) return 'no_case';
    const inProgress = current.connectCallInProgress;
    const assign = input.agentId !== null && current.assigneeId === null && ['new', 'open'].includes(current.status);
    if (!inProgress && !assign) return 'unchanged';

    const at = new Date(deps.clock.now()).toISOString();
    const answeredAt = input.connectedAt ?? at;
    let next: Case = { ...current, connectCallInProgress: false };
    if (assign && input.agentId) {
      const opened = next.status === 'new' ? transition(next, 'open', deps.clock) : next;
      next = {
        ...opened,
        assigneeId: input.agentId,
        firstResponseAt: opened.firstResponseAt ?? answeredAt,
        awaitingResponseSince: null,
        metrics: {
          ...opened.metrics,
          firstAssignedAt: opened.metrics.firstAssignedAt ?? answeredAt,
          firstAcceptedAt: opened.metrics.firstAcceptedAt ?? answeredAt,
          lastResponseAt: answeredAt,
        },
      };
    }
    next = { ...next, version: current.version + 1, updatedAt: at };
    try {
      await deps.cases.commitCaseChange({
        case: next,
        expectedVersion: current.version,
        timeline: [
          {
            id: deps.ids.newId(),
            caseId: current.id,
            at,
            actor: { kind: CONNECT.kind, id: CONNECT.id },
            action: 'call.ended',
            changes: diffCase(current, next),
            data: { contactId: input.contactId, agentId: input.agentId, answered: input.agentId !== null },
          },
        ],
      });
      return assign ? 'assigned' : 'released';
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError('the case kept changing while its call was recorded; the event is retried');
}
