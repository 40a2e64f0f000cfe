// What the intake writes for a received mail whichever case it lands on (its message, its timeline
// entries) and what it answers: shared by the new-case, threaded and bounce paths of receive-email.
import { systemActor } from '#platform/domain/actor';
import { isoNow } from '#platform/domain/clock';
import type { CaseMessage, StoredAttachment, ThreadingConfidence, ThreadingMethod, TimelineEntry } from '#cases';
import type { InboundMail } from '../../domain/inbound-mail.js';
import type { EmailDeps } from '../deps.js';

export type ReceiveOutcome =
  | {
      outcome: 'new_case';
      caseId: string;
      caseNumber: string;
      acknowledged: boolean;
      /** Why a mail that would have been acknowledged was not (rate limit, unproven sender, suppressed address), else null. */
      acknowledgementWithheld: string | null;
      messageId: string;
    }
  | { outcome: 'threaded'; caseId: string; caseNumber: string; method: ThreadingMethod; reopened: boolean; messageId: string }
  | { outcome: 'duplicate'; messageId: string }
  | { outcome: 'bounce_recorded'; caseId: string; messageId: string }
  | { outcome: 'bounce_unmatched'; messageId: string }
  | { outcome: 'dropped'; reason: string; messageId: string };

/** Who the intake's timeline entries name as their actor. */
export const INTAKE = systemActor('email-intake');

/** Why mail whose From holds no valid address gets no acknowledgement: there is no one to send it to. */
export const INVALID_SENDER = 'sender address not valid';

/** A received mail as the intake has read it: its id, reply text, stored attachments and sender. */
export interface Received {
  messageId: string;
  text: string;
  /** The stored text was cut to `MAIL_BOUNDS.textMaxBytes` (or its source to `replyScanMaxBytes`). */
  textTruncated: boolean;
  stored: { attachments: StoredAttachment[]; rejected: CaseMessage['rejectedAttachments'] };
  rawKey: string;
  /** The sender's address, lower-cased; or the From header as written when it holds no valid address. */
  sender: string;
  /** Whether the mail proves its From address (SES's Authentication-Results). */
  senderVerified: boolean;
  /** Whether `sender` is an address we may answer and identify a customer by. */
  senderIsAddress: boolean;
}

export function inboundMessage(
  deps: EmailDeps,
  mail: InboundMail,
  received: Received,
  caseId: string,
  threading: { method: ThreadingMethod; confidence: ThreadingConfidence },
  automation: string | null,
  kind: CaseMessage['kind'] = 'message',
): CaseMessage {
  return {
    id: deps.ids.newId(),
    caseId,
    direction: 'inbound',
    channel: 'email',
    kind,
    from: received.sender,
    fromName: mail.from?.name ?? null,
    to: mail.to.map((address) => address.address),
    cc: mail.cc.map((address) => address.address),
    subject: mail.subject,
    text: received.text,
    textTruncated: received.textTruncated,
    messageId: received.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    attachments: received.stored.attachments,
    rejectedAttachments: received.stored.rejected,
    threading,
    automation,
    rawKey: received.rawKey,
    authorId: null,
    delivery: null,
    createdAt: isoNow(deps.clock),
  };
}

export function entry(
  deps: EmailDeps,
  caseId: string,
  action: string,
  data: Record<string, unknown>,
  changes: TimelineEntry['changes'] = [],
): TimelineEntry {
  return { id: deps.ids.newId(), caseId, at: isoNow(deps.clock), actor: { kind: INTAKE.kind, id: INTAKE.id }, action, changes, data };
}
