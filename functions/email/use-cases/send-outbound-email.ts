import { isoNow } from '#platform/domain/clock';
import type { EmailSender, MailStore, MimeComposer } from '../domain/email-ports.js';
import type { Clock } from '#platform/domain/clock';

export interface OutboxDeps {
  mail: MailStore;
  sender: EmailSender;
  composer: MimeComposer;
  clock: Clock;
}

/** How long a sender may hold a message before another may take it over (s). */
const LEASE_SECONDS = 60;
/** Attempts before a message is given up as failed. */
export const MAX_DELIVERY_ATTEMPTS = 5;

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
 * case change never lives without its mail nor mail without its case.
 *
 * 1. Claim the message (queued, or held by a sender whose lease ran out). A sent or failed message
 *    is skipped, which makes repeated triggers harmless; one still held by an earlier attempt is
 *    thrown back to the trigger to retry later.
 * 2. Compose the raw MIME and send it.
 * 3. Record it sent, with the Message-IDs the provider gave it, so replies quoting them thread.
 * 4. On failure, queue it again (up to the attempt limit) or mark it failed for good.
 */
export async function sendOutboundEmail(deps: OutboxDeps, input: { caseId: string; messageItemId: string }): Promise<SendOutcome> {
  const now = deps.clock.now();
  const claimed = await deps.mail.claimDelivery(
    input.caseId,
    input.messageItemId,
    isoNow(deps.clock),
    new Date(now + LEASE_SECONDS * 1000).toISOString(),
  );
  if (claimed === 'done') return 'skipped';
  // An attempt that died mid-send still holds the lease: fail this record so the trigger retries it
  // (and, should every retry come too early, reports it) instead of dropping it as done.
  if (claimed === 'held') throw new DeliveryHeldError(input.messageItemId);
  const message = await deps.mail.getMessage(input.caseId, input.messageItemId);
  if (!message) return 'skipped';
  try {
    const raw = await deps.composer.compose(message);
    const sent = await deps.sender.send({ from: message.from, to: message.to, cc: message.cc, raw });
    await deps.mail.completeDelivery(message, sent.providerMessageId, sent.headerMessageIds, isoNow(deps.clock));
    return 'sent';
  } catch (error) {
    const final = (message.delivery?.attempts ?? 0) >= MAX_DELIVERY_ATTEMPTS || isPermanent(error);
    await deps.mail.failDelivery(input.caseId, input.messageItemId, error instanceof Error ? error.message : String(error), final);
    return final ? 'failed' : 'retry';
  }
}

/** SES refuses some mail for good (a rejected message, a sender not verified): retrying cannot help. */
function isPermanent(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return ['MessageRejected', 'MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'BadRequestException'].includes(name);
}
