import type { Case } from '#cases';
import type { Customer } from '#customers';
import {
  type AttemptOutcome,
  type Callback,
  type CallbackAttempt,
  type CancelReason,
  MAX_MISSED_CONTACTS,
  countedAttempts,
  pendingAttempt,
  priorityRankOf,
} from './callback.js';
import type { CallbackSettings } from './callback-settings.js';

/**
 * The callback's changes, pure: each returns the next version of the record (version + 1). The use
 * cases commit it at the version read, so of two writers one wins and the other re-reads.
 */

const MINUTE_MS = 60_000;
const plusMinutes = (at: string, minutes: number) => new Date(Date.parse(at) + minutes * MINUTE_MS).toISOString();

function next(callback: Callback, at: string, changes: Partial<Callback>): Callback {
  return { ...callback, ...changes, updatedAt: at, version: callback.version + 1 };
}

/** The language a call with the customer needs: theirs, else their case's, else none known. */
export function callbackLanguage(customer: Pick<Customer, 'preferredLanguage'> | null, c: Pick<Case, 'language'>): string | null {
  return customer?.preferredLanguage ?? c.language ?? null;
}

/** A new callback for a missed call, due at once. */
export function newCallback(input: {
  id: string;
  phone: string;
  customer: Pick<Customer, 'id' | 'tier' | 'preferredLanguage'>;
  case: Pick<Case, 'id' | 'number' | 'queue' | 'language'>;
  contactId: string;
  missedAt: string;
  now: string;
}): Callback {
  return {
    id: input.id,
    phone: input.phone,
    status: 'open',
    customerId: input.customer.id,
    caseId: input.case.id,
    caseNumber: input.case.number,
    queue: input.case.queue,
    language: callbackLanguage(input.customer, input.case),
    tier: input.customer.tier,
    priorityRank: priorityRankOf(input.customer.tier),
    missedCount: 1,
    firstMissedAt: input.missedAt,
    lastMissedAt: input.missedAt,
    missedContactIds: [input.contactId],
    nextAttemptAt: input.now,
    attempts: [],
    endReason: null,
    finishedAt: null,
    createdAt: input.now,
    updatedAt: input.now,
    version: 1,
  };
}

/**
 * Another missed call from the number of an unfinished callback: counted, never a second callback.
 * The case it follows may change (the earlier case was closed meanwhile), and so may the customer's
 * tier (and with it the priority). An open callback's next attempt is not moved: the customer keeps
 * their place, and a pending retry keeps its delay.
 */
export function withMissedCall(
  callback: Callback,
  input: {
    contactId: string;
    missedAt: string;
    now: string;
    customer: Pick<Customer, 'id' | 'tier' | 'preferredLanguage'>;
    case: Pick<Case, 'id' | 'number' | 'queue' | 'language'>;
  },
): Callback {
  const relinked = input.case.id !== callback.caseId;
  return next(callback, input.now, {
    missedCount: callback.missedCount + 1,
    lastMissedAt: input.missedAt > callback.lastMissedAt ? input.missedAt : callback.lastMissedAt,
    firstMissedAt: input.missedAt < callback.firstMissedAt ? input.missedAt : callback.firstMissedAt,
    missedContactIds: [...callback.missedContactIds.filter((id) => id !== input.contactId), input.contactId].slice(-MAX_MISSED_CONTACTS),
    customerId: input.customer.id,
    tier: input.customer.tier,
    priorityRank: priorityRankOf(input.customer.tier),
    ...(relinked
      ? {
          caseId: input.case.id,
          caseNumber: input.case.number,
          queue: input.case.queue,
          language: callbackLanguage(input.customer, input.case),
        }
      : {}),
  });
}

/** The number of the next attempt: a dial that failed for a passing reason is tried again under its own number. */
export function nextAttemptNumber(callback: Pick<Callback, 'attempts'>): number {
  return countedAttempts(callback) + 1;
}

/** A dispatcher takes an open callback to dial it: `dialling`, a pending attempt, a claim that lapses after the lease. */
export function claimForDial(
  callback: Callback,
  input: { agentId: string | null; now: string; settings: Pick<CallbackSettings, 'claimLeaseMinutes'> },
): Callback {
  const attempt: CallbackAttempt = {
    number: nextAttemptNumber(callback),
    claimedAt: input.now,
    dialledAt: null,
    contactId: null,
    agentId: input.agentId,
    outcome: 'pending',
    endedAt: null,
    detail: null,
  };
  return next(callback, input.now, {
    status: 'dialling',
    attempts: [...callback.attempts, attempt],
    nextAttemptAt: plusMinutes(input.now, input.settings.claimLeaseMinutes),
  });
}

function withPendingAttempt(callback: Callback, change: (attempt: CallbackAttempt) => CallbackAttempt): CallbackAttempt[] {
  const pending = pendingAttempt(callback);
  return callback.attempts.map((attempt) => (attempt === pending ? change(attempt) : attempt));
}

/** Connect started the call: the contact is recorded and its outcome awaited until the outcome timeout. */
export function recordDialled(
  callback: Callback,
  input: { contactId: string; now: string; settings: Pick<CallbackSettings, 'outcomeTimeoutMinutes'> },
): Callback {
  return next(callback, input.now, {
    attempts: withPendingAttempt(callback, (attempt) => ({
      ...attempt,
      contactId: input.contactId,
      dialledAt: attempt.dialledAt ?? input.now,
    })),
    nextAttemptAt: plusMinutes(input.now, input.settings.outcomeTimeoutMinutes),
  });
}

/** The pending attempt reached an agent: the callback is done. */
export function markReached(
  callback: Callback,
  input: { contactId: string; agentId: string | null; agentArn: string; at: string; now: string },
): Callback {
  return next(callback, input.now, {
    status: 'reached',
    attempts: withPendingAttempt(callback, (attempt) => ({
      ...attempt,
      contactId: attempt.contactId ?? input.contactId,
      outcome: 'reached',
      endedAt: input.at,
      detail: `connected to ${input.agentId ?? input.agentArn}`,
    })),
    nextAttemptAt: null,
    finishedAt: input.now,
    endReason: null,
  });
}

/**
 * The pending attempt did not reach the customer (`no_answer`, `refused`, `no_outcome`): the
 * callback is open again for a retry after the delay, or, after the last allowed attempt, failed.
 */
export function failAttempt(
  callback: Callback,
  input: {
    outcome: Extract<AttemptOutcome, 'no_answer' | 'refused' | 'no_outcome'>;
    detail: string | null;
    contactId?: string | null | undefined;
    at: string;
    now: string;
    settings: Pick<CallbackSettings, 'maxAttempts' | 'retryMinutes'>;
  },
): { callback: Callback; final: boolean } {
  const attempts = withPendingAttempt(callback, (attempt) => ({
    ...attempt,
    contactId: attempt.contactId ?? input.contactId ?? null,
    outcome: input.outcome,
    endedAt: input.at,
    detail: input.detail,
  }));
  const final = countedAttempts({ attempts }) >= input.settings.maxAttempts;
  if (final) {
    return {
      final,
      callback: next(callback, input.now, {
        status: 'failed',
        attempts,
        nextAttemptAt: null,
        finishedAt: input.now,
        endReason: `not reached in ${countedAttempts({ attempts })} attempt(s); the last: ${input.outcome}${input.detail ? ` (${input.detail})` : ''}`,
      }),
    };
  }
  return {
    final,
    callback: next(callback, input.now, { status: 'open', attempts, nextAttemptAt: plusMinutes(input.now, input.settings.retryMinutes) }),
  };
}

/** The dial request failed for a passing reason: open again soon, under the same attempt number (same token). */
export function releaseAfterError(
  callback: Callback,
  input: { detail: string; now: string; settings: Pick<CallbackSettings, 'errorRetryMinutes'> },
): Callback {
  return next(callback, input.now, {
    status: 'open',
    attempts: withPendingAttempt(callback, (attempt) => ({ ...attempt, outcome: 'error', endedAt: input.now, detail: input.detail })),
    nextAttemptAt: plusMinutes(input.now, input.settings.errorRetryMinutes),
  });
}

/** No longer needed. Only an open callback is cancelled: one being dialled waits for its outcome. */
export function cancelCallback(callback: Callback, input: { reason: CancelReason; detail: string; now: string }): Callback {
  return next(callback, input.now, {
    status: 'cancelled',
    nextAttemptAt: null,
    finishedAt: input.now,
    endReason: `${input.reason}: ${input.detail}`,
  });
}
