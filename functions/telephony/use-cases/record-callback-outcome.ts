import type { Callback } from '../domain/callback.js';
import { failAttempt, markReached } from '../domain/callback-lifecycle.js';
import type { CallbackCommit } from '../domain/callback-ports.js';
import { type ContactEvent, classifyContactEvent } from '../domain/contact-event.js';
import { isoNow } from '#platform/domain/clock';
import { ContentionError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { ContactEventDeps } from './deps.js';
import {
  CONNECT_EVENTS_ACTOR,
  agentIdOf,
  auditEntry,
  callFacts,
  failedParts,
  mergeParts,
  reachedParts,
  retryParts,
} from './callback-commits.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';

export type CallbackOutcome =
  | 'reached'
  /** An unanswered attempt; another follows after the retry delay. */
  | 'retry_scheduled'
  /** The last allowed attempt went unanswered: failed, noted on the case, the customer mailed. */
  | 'failed'
  /** The call ended after reaching an agent: on the case's timeline (the callback was reached before). */
  | 'call_recorded'
  /** The attempt's outcome was already known (events arrive in any order, and more than once). */
  | 'stale'
  | 'unknown_callback'
  | 'duplicate';

/** Which callback attempt an outbound contact is: from its attributes, or from the record made when it was dialled. */
export interface DialledRef {
  callbackId: string;
  attempt: number;
}

/**
 * An event of an outbound contact dialled for a callback (`initiationMethod` API): the attempt's
 * outcome.
 *
 * 1. Read the callback and find the attempt (by number, and by contact once recorded).
 * 2. Reached an agent (CONNECTED_TO_AGENT, or DISCONNECTED with an agent): the callback is
 *    `reached`, the case gets `callback.reached`. A DISCONNECTED with an agent also puts the call on
 *    the timeline (`call.completed`), as any finished call.
 * 3. Ended without an agent (DISCONNECTED without one): the attempt went unanswered. The callback
 *    opens again for a retry after the delay, or, after the last allowed attempt, fails: an internal
 *    note on the case, and a mail to the customer when we know their address.
 * 4. An outcome already known (a later or repeated event) changes nothing but the record of the event.
 * 5. Commit with the record that this event was handled, only at the callback's version read: a
 *    lost race reads again; a redelivered event stops at the record.
 */
export async function recordCallbackOutcome(
  deps: ContactEventDeps,
  input: { event: ContactEvent; dialled: DialledRef },
): Promise<{ outcome: CallbackOutcome; callbackId: string; caseId: string | null }> {
  const { event, dialled } = input;
  const kind = classifyContactEvent(event);
  const reachedAgent = kind === 'connected_to_agent' || kind === 'completed_call';
  // When the attempt was decided: the agent took the call, or the call ended without one.
  const reachedAt = event.agent?.connectedAt ?? event.at;
  const endedAt = event.disconnectAt ?? event.at;
  // Our agent behind the event's agent ARN (known from Connect's agent events), read once.
  const agentId = await agentIdOf(deps, event.agent?.arn ?? null);

  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    const callback = await deps.callbacks.getCallback(dialled.callbackId);
    if (!callback) return { outcome: 'unknown_callback', callbackId: dialled.callbackId, caseId: null };
    const now = isoNow(deps.clock);
    const open = isThisAttemptPending(callback, dialled.attempt, event.contactId);

    let outcome: CallbackOutcome = 'stale';
    let parts: Partial<CallbackCommit> = {};
    if (reachedAgent && open) {
      const reached = markReached(callback, { contactId: event.contactId, agentId, agentArn: event.agent?.arn ?? '', at: reachedAt, now });
      outcome = 'reached';
      parts = mergeParts(
        { callback: { callback: reached, expectedVersion: callback.version } },
        reachedParts(deps, reached, { contactId: event.contactId, agentId, agentArn: event.agent?.arn ?? '', at: reachedAt }),
      );
    } else if (!reachedAgent && open) {
      const failed = failAttempt(callback, {
        outcome: 'no_answer',
        detail: event.disconnectReason,
        contactId: event.contactId,
        at: endedAt,
        now,
        settings: deps.settings,
      });
      outcome = failed.final ? 'failed' : 'retry_scheduled';
      parts = mergeParts(
        { callback: { callback: failed.callback, expectedVersion: callback.version } },
        failed.final ? await failedParts(deps, failed.callback, now) : retryParts(deps, failed.callback, now),
      );
    }
    if (kind === 'completed_call') {
      parts = mergeParts(parts, {
        timeline: [
          auditEntry(deps, CONNECT_EVENTS_ACTOR, callback.caseId, 'call.completed', now, {
            ...callFacts(event, agentId, callback.queue),
            callbackId: callback.id,
            attempt: dialled.attempt,
          }),
        ],
      });
      if (outcome === 'stale') outcome = 'call_recorded';
    }
    try {
      await deps.callbacks.commit(
        mergeParts(parts, {
          handled: {
            contactId: event.contactId,
            eventType: event.eventType,
            eventId: event.eventId,
            outcome: `callback_${outcome}`,
            caseId: callback.caseId,
            callbackId: callback.id,
            at: now,
          },
        }),
      );
      return { outcome, callbackId: callback.id, caseId: callback.caseId };
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason === 'duplicate') return { outcome: 'duplicate', callbackId: callback.id, caseId: callback.caseId };
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError('the callback kept changing while its outcome was recorded; EventBridge retries the event');
}

/** Whether the event's attempt is the callback's pending one: same number, and the same contact once one is recorded. */
function isThisAttemptPending(callback: Callback, number: number, contactId: string): boolean {
  if (callback.status !== 'dialling') return false;
  const last = callback.attempts.at(-1);
  return (
    last !== undefined && last.outcome === 'pending' && last.number === number && (last.contactId === null || last.contactId === contactId)
  );
}
