import type { Tier } from '#customers';

/**
 * A callback: the promise to ring back a caller whose call nobody answered.
 *
 * - `open`: waiting to be dialled (first attempt, or a retry once `nextAttemptAt` comes);
 * - `dialling`: an attempt is under way (claimed by a dispatcher, dialled through Connect, its
 *   outcome not known yet);
 * - `reached`: an attempt reached an agent; done;
 * - `failed`: the last allowed attempt did not reach the customer; done (a note on the case, the
 *   customer emailed);
 * - `cancelled`: no longer needed (the case was resolved or closed, or the customer got through to
 *   an agent on a call of their own); done.
 */
export const CALLBACK_STATUSES = ['open', 'dialling', 'reached', 'failed', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** Statuses of a callback that is still to be kept: one per phone number at most. */
export const UNFINISHED_STATUSES: ReadonlySet<CallbackStatus> = new Set(['open', 'dialling']);

/**
 * What became of one dial:
 * - `pending`: dialled (or being dialled), no outcome yet;
 * - `reached`: the call was answered and connected to an agent;
 * - `no_answer`: the call ended without reaching an agent (not picked up, busy, voicemail, or the
 *   customer hung up before an agent took it);
 * - `refused`: Connect refused to dial (an invalid or barred number): it counts as an attempt;
 * - `error`: the dial request failed for a passing reason (throttling, a fault): it does not count,
 *   and the next dial uses the same attempt number, so Connect's idempotency token is the same;
 * - `no_outcome`: no outcome event arrived within the outcome timeout: it counts as unanswered.
 */
export const ATTEMPT_OUTCOMES = ['pending', 'reached', 'no_answer', 'refused', 'error', 'no_outcome'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export interface CallbackAttempt {
  /** 1-based; with the callback id it makes the dial's idempotency token (see `dialToken`). */
  number: number;
  /** When a dispatcher claimed the callback for this attempt. */
  claimedAt: string;
  /** When Connect accepted the dial; null until it did. */
  dialledAt: string | null;
  /** The outbound contact Connect started; null until known. */
  contactId: string | null;
  /** The agent the dispatcher found free for the call (Connect's queue routes it, possibly to another). */
  agentId: string | null;
  outcome: AttemptOutcome;
  endedAt: string | null;
  /** Why the attempt ended as it did (Connect's refusal, the error, the agent reached). */
  detail: string | null;
}

/** Why a callback was cancelled. */
export type CancelReason = 'case_closed' | 'customer_reached_agent';

export interface Callback {
  /** A ULID: callbacks list newest first by id. */
  id: string;
  /** The number to ring, E.164. */
  phone: string;
  status: CallbackStatus;
  customerId: string;
  caseId: string;
  caseNumber: string;
  /** Our queue: its calendar gates the dial, its Connect queue takes the call. */
  queue: string;
  /** ISO 639-1; the agent must speak it. Null: any agent of the queue. */
  language: string | null;
  tier: Tier;
  /** 0 for VIP customers, 1 otherwise: the dispatcher dials lower ranks first. */
  priorityRank: number;
  missedCount: number;
  firstMissedAt: string;
  lastMissedAt: string;
  /** The missed contacts (Connect ContactIds), oldest first, the last `MAX_MISSED_CONTACTS`. */
  missedContactIds: string[];
  /**
   * When the dispatcher must look at the callback next: the first or next dial of an open one, the
   * end of a dialling one's claim or outcome wait. Null once finished.
   */
  nextAttemptAt: string | null;
  attempts: CallbackAttempt[];
  /** Why it failed or was cancelled; null otherwise. */
  endReason: string | null;
  finishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-locking counter: 1 on creation, +1 on every change. */
  version: number;
}

/** Missed contacts a callback keeps (its count goes on). */
export const MAX_MISSED_CONTACTS = 20;

/** Every priority rank a callback may have, most urgent first. */
export const PRIORITY_RANKS = [0, 1] as const;

/** The priority rank of a customer tier: VIP callbacks (0) are dialled before everyone else's (1). */
export function priorityRankOf(tier: Tier): number {
  return tier === 'vip' ? 0 : 1;
}

/** Whether a callback is still to be dialled or under way. */
export function isUnfinished(callback: Pick<Callback, 'status'>): boolean {
  return UNFINISHED_STATUSES.has(callback.status);
}

/** Attempts that count against the maximum: every dial but those that failed for a passing reason. */
export function countedAttempts(callback: Pick<Callback, 'attempts'>): number {
  return callback.attempts.filter((attempt) => attempt.outcome !== 'error').length;
}

/** The attempt under way (the last one, while pending), or null. */
export function pendingAttempt(callback: Pick<Callback, 'attempts'>): CallbackAttempt | null {
  const last = callback.attempts.at(-1);
  return last && last.outcome === 'pending' ? last : null;
}

/**
 * Connect's idempotency token (`ClientToken`) of an attempt: the same callback and attempt number
 * always give the same token, so a dial repeated after a crash or a failed request returns the
 * contact already started instead of ringing the customer twice (Connect keeps a token 7 days).
 */
export function dialToken(callbackId: string, attempt: number): string {
  return `callback-${callbackId}-${attempt}`;
}
