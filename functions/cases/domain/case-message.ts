import type { Channel } from './case.js';

/** How a message found its case, and how sure that is. */
export const THREADING_METHODS = [
  'reference_token',
  'header',
  'subject_number',
  'duplicate_content',
  'new_case',
  'agent_reply',
  'acknowledgement',
  'bounce',
  'notification',
] as const;
export type ThreadingMethod = (typeof THREADING_METHODS)[number];
export type ThreadingConfidence = 'high' | 'medium' | 'none';

export interface StoredAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** SHA-256, hex. */
  checksum: string;
  /** Object key in the mail bucket. */
  key: string;
  inline: boolean;
}

/**
 * Outbound mail waits in the outbox until the sender function hands it to SES; `retrying` waits for
 * its next attempt. `bounced` and `complained` come from SES's events about mail it sent.
 */
export type DeliveryStatus = 'queued' | 'sending' | 'retrying' | 'sent' | 'failed' | 'bounced' | 'complained';

export interface Delivery {
  status: DeliveryStatus;
  attempts: number;
  /** Until when a sender holds the message (ISO); another may take it over after. */
  leaseUntil: string | null;
  providerMessageId: string | null;
  error: string | null;
}

export const MESSAGE_KINDS = ['message', 'reply', 'acknowledgement', 'bounce', 'notification'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** A message on a case: an email in or out (later also chat, SMS, …). */
export interface CaseMessage {
  id: string;
  caseId: string;
  direction: 'inbound' | 'outbound';
  channel: Channel;
  /**
   * What the message is for the case: a customer's mail, an agent's reply, our acknowledgement, a
   * bounce report, or an automated notification (an SLA escalation to the queue's supervisors; a
   * missed-call callback that could not reach the customer, to the customer).
   */
  kind: MessageKind;
  from: string;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string;
  /** New content only: quoted history removed (the raw mail keeps everything). */
  text: string;
  /** The text was cut to the stored bound (64 KiB); the raw message (`rawKey`) holds all of it. */
  textTruncated: boolean;
  /** `<id@host>` */
  messageId: string;
  inReplyTo: string[];
  references: string[];
  attachments: StoredAttachment[];
  /** Attachments over the size limit: not stored on their own, still in the raw mail. */
  rejectedAttachments: { filename: string; size: number; reason: string }[];
  threading: { method: ThreadingMethod; confidence: ThreadingConfidence };
  /** Why no acknowledgement was sent, or which automation the message is (auto-reply, list, bounce…). */
  automation: string | null;
  /** Raw MIME in the mail bucket, for audit (inbound). */
  rawKey: string | null;
  /** The agent who wrote an outbound reply. */
  authorId: string | null;
  /** Outbound only. */
  delivery: Delivery | null;
  createdAt: string;
}

/** What differs between the mails Switchboard sends from a case (replies, acknowledgements, notices). */
export interface OutboundEmail {
  id: string;
  caseId: string;
  kind: Exclude<MessageKind, 'message' | 'bounce'>;
  from: string;
  fromName: string | null;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string[];
  references?: string[];
  threading: ThreadingMethod;
  automation: string | null;
  authorId?: string | null;
  createdAt: string;
}

/** A mail Switchboard sends from a case, queued for the outbox: no attachments, no raw copy, sure of its thread. */
export function queuedEmail(mail: OutboundEmail): CaseMessage {
  return {
    id: mail.id,
    caseId: mail.caseId,
    direction: 'outbound',
    channel: 'email',
    kind: mail.kind,
    from: mail.from,
    fromName: mail.fromName,
    to: mail.to,
    cc: mail.cc ?? [],
    subject: mail.subject,
    text: mail.text,
    textTruncated: false,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo ?? [],
    references: mail.references ?? [],
    attachments: [],
    rejectedAttachments: [],
    threading: { method: mail.threading, confidence: 'high' },
    automation: mail.automation,
    rawKey: null,
    authorId: mail.authorId ?? null,
    delivery: { status: 'queued', attempts: 0, leaseUntil: null, providerMessageId: null, error: null },
    createdAt: mail.createdAt,
  };
}
