import { isoNow } from '#platform/domain/clock';
import type { Clock } from '#platform/domain/clock';
import type { CaseMessage } from '#cases';
import type { DeliveryFailure, EmailSender, MimeComposer, OutboxStore } from '../domain/email-ports.js';

export interface OutboxDeps {
  outbox: OutboxStore;
  sender: EmailSender;
  composer: MimeComposer;
  clock: Clock;
}

/** How long a sender may hold a message before another may take it over (s); longer than the function's timeout. */
export const LEASE_SECONDS = 60;
/** Minutes a failed message waits before each next attempt; after the last, it has failed for good. */
export const RETRY_DELAYS_MINUTES = [1, 5, 30] as const;
/** Attempts before a message is given up as failed: the first and one after each delay. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;
/** Minutes a throttled message waits; throttling does not count as an attempt. */
export const THROTTLED_RETRY_MINUTES = 1;
/** Times the record of an accepted send is tried before the attempt gives up and throws. */
const RECORD_TRIES = 3;

export type SendOutcome = 'sent' | 'skipped' | 'retry' | 'failed';

/** An earlier attempt still holds the message; the trigger should come back after its lease. */
export class DeliveryHeldError extends Error {
  constructor(messageItemId: string) {
    super(`message ${messageItemId} is held by an earlier attempt; retry after its lease`);
    this.name = 'DeliveryHeldError';
  }
}

/**
 * Sends one queued outbound message (the outbox): the intake and the reply API only queue mail in
 * the same transaction as the case change, and this hands it to the mail service afterwards, so a
 * case change never lives without its mail nor mail without its case. docs/email.md has the why.
 *
 * 1. Claim the message (queued, or held by a sender whose lease ran out), counting the attempt. A
 *    sent, retrying or failed message is skipped, which makes repeated triggers harmless; one still
 *    held by an earlier attempt is thrown back to the trigger to retry later.
 * 2. Compose the raw MIME.
 * 3. Record the intent to send on the message's send record, keyed by the message item alone. If an
 *    earlier attempt (on this or a copy of the message) was accepted, record this copy sent without
 *    sending; if one began and never said how it ended, fail the message for an operator rather than
 *    risk sending it twice.
 * 4. Send, naming the intent. Accepted: record that on the send record first, then mark the message
 *    sent with the Message-IDs the provider gave it, so replies quoting them thread.
 * 5. Refused: throttling waits a minute without counting the attempt; a permanent refusal or the last
 *    attempt fails the message; anything else waits 1, 5, then 30 minutes. An answer that never came
 *    (a timeout after sending) may hide an accepted send: the message fails, and is not sent again.
 */
export async function sendOutboundEmail(deps: OutboxDeps, input: { caseId: string; messageItemId: string }): Promise<SendOutcome> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now + LEASE_SECONDS * 1000).toISOString();
  const claimed = await deps.outbox.claimDelivery(input.caseId, input.messageItemId, isoNow(deps.clock), leaseUntil);
  if (claimed === 'done') return 'skipped';
  // An attempt that died mid-send still holds the lease: fail this record so the trigger retries it
  // (and, should every retry come too early, reports it) instead of dropping it as done.
  if (claimed === 'held') throw new DeliveryHeldError(input.messageItemId);
  const message = await deps.outbox.getMessage(input.caseId, input.messageItemId);
  if (!message) return 'skipped';

  let raw: Uint8Array;
  try {
    raw = await deps.composer.compose(message);
  } catch (error) {
    return settleRefusal(deps, message, error, null);
  }

  const intentId = `${message.id}-${message.delivery?.attempts ?? 1}`;
  const intent = await deps.outbox.beginSend(message, { intentId, leaseUntil, now: isoNow(deps.clock) });
  if (intent.state === 'accepted') {
    await deps.outbox.completeDelivery(message, intent.providerMessageId, intent.headerMessageIds, isoNow(deps.clock));
    return 'sent';
  }
  if (intent.state === 'in_progress') throw new DeliveryHeldError(input.messageItemId);
  if (intent.state === 'in_doubt') return failInDoubt(deps, message, intent.intentId);

  let sent: Awaited<ReturnType<EmailSender['send']>>;
  try {
    sent = await deps.sender.send({ from: message.from, to: message.to, cc: message.cc, raw, intentId });
  } catch (error) {
    if (answerLost(error)) return failInDoubt(deps, message, intentId);
    return settleRefusal(deps, message, error, intentId);
  }
  // Accepted: from here on the message is never handed to the provider again. The send record is
  // written first and alone, so that even if marking the message fails, the next attempt finds it.
  await withTries(() => deps.outbox.recordAccepted(message.id, intentId, sent));
  await deps.outbox.completeDelivery(message, sent.providerMessageId, sent.headerMessageIds, isoNow(deps.clock));
  return 'sent';
}

/** The provider answered and did not accept the message (or it could not be composed). */
async function settleRefusal(deps: OutboxDeps, message: CaseMessage, error: unknown, intentId: string | null): Promise<SendOutcome> {
  const attempts = message.delivery?.attempts ?? 1;
  const text = error instanceof Error ? error.message : String(error);
  const base = { error: text, releaseIntent: intentId };
  let failure: DeliveryFailure;
  if (isThrottling(error)) {
    failure = { ...base, next: 'retrying', retryAt: minutesFrom(deps.clock, THROTTLED_RETRY_MINUTES), refundAttempt: true };
  } else if (isPermanent(error) || attempts >= MAX_DELIVERY_ATTEMPTS) {
    failure = { ...base, next: 'failed', retryAt: null, refundAttempt: false };
  } else {
    const delay = RETRY_DELAYS_MINUTES[Math.min(attempts, RETRY_DELAYS_MINUTES.length) - 1] ?? RETRY_DELAYS_MINUTES[0];
    failure = { ...base, next: 'retrying', retryAt: minutesFrom(deps.clock, delay), refundAttempt: false };
  }
  await deps.outbox.failDelivery(message.caseId, message.id, failure);
  return failure.next === 'failed' ? 'failed' : 'retry';
}

/** An attempt may have been accepted without us knowing: never risk a second copy; tell an operator. */
async function failInDoubt(deps: OutboxDeps, message: CaseMessage, intentId: string): Promise<SendOutcome> {
  await deps.outbox.failDelivery(message.caseId, message.id, {
    error: `outcome unknown: attempt ${intentId} may have been accepted by SES, so it is not sent again (see docs/email.md to send it anyway)`,
    next: 'failed',
    retryAt: null,
    refundAttempt: false,
    releaseIntent: null,
  });
  return 'failed';
}

async function withTries(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= RECORD_TRIES) throw error;
    }
  }
}

function minutesFrom(clock: Clock, minutes: number): string {
  return new Date(clock.now() + minutes * 60_000).toISOString();
}

const nameOf = (error: unknown) => (error as { name?: string } | null)?.name ?? '';
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** SES refuses some mail for good (a rejected message, a sender not verified): retrying cannot help. */
function isPermanent(error: unknown): boolean {
  return ['MessageRejected', 'MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'BadRequestException'].includes(
    nameOf(error),
  );
}

/** SES's sending quota or rate: the message is fine, the moment is not. */
export function isThrottling(error: unknown): boolean {
  return (
    ['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'LimitExceededException'].includes(nameOf(error)) ||
    /maximum sending rate exceeded/i.test(messageOf(error))
  );
}

/**
 * The request may have reached SES but its answer never came back: a request timeout or a
 * connection dropped mid-request. A connection that was never made is a plain refusal.
 */
export function answerLost(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  // The SDK's connection timeout: "the request socket did not establish a connection with the server …".
  if (nameOf(error) === 'TimeoutError') return !/did not establish a connection|without establishing a connection/i.test(messageOf(error));
  return ['ECONNRESET', 'EPIPE'].includes(code) || /socket hang up/i.test(messageOf(error));
}
