import { cancelCallback } from '../domain/callback-lifecycle.js';
import type { CallbackCommit, ContactFacts } from '../domain/callback-ports.js';
import { queueOfConnectQueue } from '../domain/callback-settings.js';
import type { ContactEvent } from '../domain/contact-event.js';
import { isoNow } from '#platform/domain/clock';
import { ContentionError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { ContactEventDeps } from './deps.js';
import { CALLBACKS_ACTOR, CONNECT_EVENTS_ACTOR, agentIdOf, auditEntry, callFacts, callerOf, phoneOfContact } from './callback-commits.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';

export interface CompletedCallOutcome {
  outcome: 'recorded' | 'no_case' | 'duplicate';
  caseId: string | null;
  /** Our agent, when their Connect ARN is known (from the agent event stream); else null and the ARN is recorded. */
  agentId: string | null;
  /** The open callback of the caller's number, cancelled because the caller reached an agent. */
  cancelledCallbackId: string | null;
}

/**
 * A voice contact that reached an agent has ended: the call goes on its case's timeline, once.
 *
 * 1. The case: the one the contact flow linked the contact to (or the contact it was transferred
 *    from), else the caller's newest case still open for calls (by the event's customer number);
 *    none: the call is only recorded as handled, and logged by the caller.
 * 2. Our agent: the member of staff whose Connect agent ARN (learnt from the agent event stream)
 *    is the event's; else null, with the ARN kept (mapping it otherwise takes a Connect API call).
 * 3. A `call.completed` audit entry: agent, our queue and Connect's, seconds in queue, with the
 *    agent and in all, the disconnect reason and the recording's location when the event has them.
 * 4. The caller got through to an agent, so an open callback of their number is cancelled
 *    (`customer_reached_agent`); one being dialled is left to its outcome.
 * 5. Commit with the record that this event was handled (a redelivery changes nothing); a callback
 *    that changed meanwhile is read again.
 */
export async function recordCompletedCall(
  deps: ContactEventDeps,
  input: {
    event: ContactEvent;
    facts: ContactFacts;
    /** Already mapped by the caller; absent: mapped here. */ agentId?: string | null | undefined;
  },
): Promise<CompletedCallOutcome> {
  const { event, facts } = input;
  const [agentId, phone] = await Promise.all([
    input.agentId !== undefined ? input.agentId : agentIdOf(deps, event.agent?.arn ?? null),
    phoneOfContact(deps, event, facts.linkedCase?.customerId ?? null),
  ]);
  const caseId = facts.linkedCase?.caseId ?? (phone ? ((await callerOf(deps, phone))?.openCase?.id ?? null) : null);
  const queue = queueOfConnectQueue(deps.settings, event.queue?.connectQueueId ?? null);

  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    const now = isoNow(deps.clock);
    const { callback: open } = phone ? await deps.callbacks.findOpenCallback(phone) : { callback: null };
    const cancelled =
      open && open.status === 'open'
        ? cancelCallback(open, {
            reason: 'customer_reached_agent',
            detail: `the customer reached an agent on contact ${event.contactId}`,
            now,
          })
        : null;
    const commit: CallbackCommit = {
      handled: {
        contactId: event.contactId,
        eventType: event.eventType,
        eventId: event.eventId,
        outcome: caseId ? 'completed_call' : 'completed_call_no_case',
        caseId,
        callbackId: cancelled?.id ?? null,
        at: now,
      },
      timeline: [
        ...(caseId ? [auditEntry(deps, CONNECT_EVENTS_ACTOR, caseId, 'call.completed', now, callFacts(event, agentId, queue))] : []),
        ...(cancelled
          ? [
              auditEntry(deps, CALLBACKS_ACTOR, cancelled.caseId, 'callback.cancelled', now, {
                callbackId: cancelled.id,
                reason: cancelled.endReason,
                contactId: event.contactId,
              }),
            ]
          : []),
      ],
      ...(cancelled && open
        ? {
            callback: { callback: cancelled, expectedVersion: open.version },
            guard: { action: 'release' as const, phone: cancelled.phone, callbackId: cancelled.id },
          }
        : {}),
    };
    try {
      await deps.callbacks.commit(commit);
      return { outcome: caseId ? 'recorded' : 'no_case', caseId, agentId, cancelledCallbackId: cancelled?.id ?? null };
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason === 'duplicate') return { outcome: 'duplicate', caseId: null, agentId, cancelledCallbackId: null };
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError('the caller’s callback kept changing; EventBridge retries the event');
}
