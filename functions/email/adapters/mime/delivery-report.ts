import type { ParsedMail } from 'mailparser';
import type { DeliveryReport, InboundAttachment, MailAddress } from '../../domain/inbound-mail.js';
import { messageIds } from './mail-addresses.js';
import { isStructuredHeader } from './mail-headers.js';

// Bounces: whether a parsed mail is a delivery report, and what it says about the message that failed.

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_MESSAGE_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);

/**
 * Senders of bounces by convention (RFC 5321 §4.5.5 null-sender DSNs are signed by these). Not
 * postmaster@: people write from it, and its real bounces carry a delivery-status report.
 */
const BOUNCE_SENDER = /^(?:mailer-daemon|mail-daemon)@/i;
/** Subjects of the common bounce formats, checked only on auto-submitted mail. */
const BOUNCE_SUBJECT =
  /^(?:undelivered mail returned to sender|undeliverable:|delivery status notification|mail delivery failed|returned mail:|failure notice|delivery failure|unzustellbar:|niedostarczalne:)/i;

const STATUS_CODE = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

/**
 * What a bounce says about the message that failed: from the message/delivery-status part of an
 * RFC 3464 report, or, for bounces without one (qmail, some Exchange and hosting MTAs), from the text.
 * The original Message-ID comes from the returned message or headers part, else from the first
 * `Message-ID:` line of the text. Null for ordinary mail.
 */
export function deliveryReport(
  parsed: ParsedMail,
  attachments: InboundAttachment[],
  text: string,
  from: MailAddress | null,
  subject: string,
  raws: Map<string, string[]>,
): DeliveryReport | null {
  const rootType = parsed.headers.get('content-type');
  const isReport =
    isStructuredHeader(rootType) &&
    rootType.value.toLowerCase() === 'multipart/report' &&
    (rootType.params['report-type'] ?? '').toLowerCase() === 'delivery-status';
  const statusPart = attachments.find((attachment) => STATUS_TYPES.has(attachment.contentType));
  const autoSubmitted = (raws.get('auto-submitted')?.[0] ?? 'no').toLowerCase() !== 'no';
  const bounceSender = from !== null && BOUNCE_SENDER.test(from.address);
  const freeFormBounce = bounceSender || (autoSubmitted && BOUNCE_SUBJECT.test(subject.trim()));
  if (!isReport && !statusPart && !freeFormBounce) return null;

  const returned = attachments.find((attachment) => RETURNED_MESSAGE_TYPES.has(attachment.contentType));
  const returnedId = returned ? messageIdInHeaders(new TextDecoder().decode(returned.content)) : null;
  const fields = statusPart ? deliveryStatusFields(new TextDecoder().decode(statusPart.content)) : fieldsFromText(text);
  return { originalMessageId: returnedId ?? messageIdLine(text), ...fields };
}

type ReportFields = Omit<DeliveryReport, 'originalMessageId'>;

/**
 * RFC 3464 fields: a per-message block, then one block per recipient, separated by blank lines.
 * Every recipient is listed; action, status and diagnostic come from the first recipient that
 * failed (else the first), as the domain keeps one outcome per report.
 */
function deliveryStatusFields(body: string): ReportFields {
  const blocks = body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(fieldsOf)
    .filter((fields) => fields.has('final-recipient') || fields.has('action'));
  const recipients = unique(
    blocks.map((fields) => recipientAddress(fields.get('final-recipient') ?? '')).filter((address) => address !== ''),
  );
  const chosen = blocks.find((fields) => fields.get('action')?.toLowerCase() === 'failed') ?? blocks[0];
  return {
    recipients,
    action: chosen?.get('action')?.toLowerCase() ?? null,
    status: statusCode(chosen?.get('status')),
    diagnostic: diagnosticText(chosen?.get('diagnostic-code')),
  };
}

/** The same fields from a bounce's free text, plus qmail's `<address>:` recipient lines. */
function fieldsFromText(text: string): ReportFields {
  const fields = fieldsOf(text);
  const finalRecipients = [...text.matchAll(/^[ \t]*Final-Recipient:[ \t]*(.+)$/gim)].map((match) => recipientAddress(match[1] ?? ''));
  const qmailRecipients = [...text.matchAll(/^<([^<>\s]+@[^<>\s]+)>:/gm)].map((match) => (match[1] ?? '').toLowerCase());
  const status =
    statusCode(fields.get('status')) ??
    // "550 5.1.1 …" after an SMTP reply code, or qmail's "(#5.1.1)".
    /(?:\b[245]\d\d[ -]|#)([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1] ??
    null;
  return {
    recipients: unique((finalRecipients.length > 0 ? finalRecipients : qmailRecipients).filter((address) => address !== '')),
    action: fields.get('action')?.toLowerCase() ?? null,
    status,
    diagnostic: diagnosticText(fields.get('diagnostic-code')),
  };
}

/** `Name: value` fields of a header-like block, continuation lines unfolded, first occurrence kept. */
function fieldsOf(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  const unfolded = block.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\n')) {
    const match = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/.exec(line);
    if (match?.[1] && !fields.has(match[1].toLowerCase())) fields.set(match[1].toLowerCase(), (match[2] ?? '').trim());
  }
  return fields;
}

/** `rfc822; Klaus.Becker@example.de` → `klaus.becker@example.de`. */
function recipientAddress(value: string): string {
  const address = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  return address.trim().replace(/^<|>$/g, '').toLowerCase();
}

function statusCode(value: string | undefined): string | null {
  return value ? (STATUS_CODE.exec(value)?.[1] ?? null) : null;
}

/** `smtp; 550 5.1.1 User unknown` → `550 5.1.1 User unknown`: the diagnostic type is noise to a reader. */
function diagnosticText(value: string | undefined): string | null {
  if (!value) return null;
  const text = value
    .replace(/^[A-Za-z0-9-]+;\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text;
}

/** The Message-ID of a returned message or headers part: only its header block is read. */
function messageIdInHeaders(content: string): string | null {
  const head = content.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)[0] ?? '';
  return messageIds(fieldsOf(head).get('message-id') ?? '')[0] ?? null;
}

/** The first `Message-ID:` line of a bounce's text (the copy of the original, possibly `>` quoted). */
function messageIdLine(text: string): string | null {
  const value = /^[ \t>]*Message-ID:[ \t]*(\S.*)$/im.exec(text)?.[1];
  return value ? (messageIds(value)[0] ?? null) : null;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
