import {
  simpleParser,
  type AddressObject,
  type Attachment,
  type EmailAddress,
  type HeaderLines,
  type HeaderValue,
  type ParsedMail,
  type SimpleParserOptions,
  type StructuredHeader,
} from 'mailparser';
import type { DeliveryReport, InboundAttachment, InboundMail, MailAddress } from '../../domain/inbound-mail.js';

/** The input is not a mail message at all (empty, or no header a message has), or the parser gave up on it. */
export class UnparseableMailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnparseableMailError';
  }
}

const PARSER_OPTIONS: SimpleParserOptions = {
  // The HTML keeps its cid: links so stored attachments can be matched to it; inlining them as
  // data: URLs would copy every image into the HTML.
  keepCidLinks: true,
  // Delivery status parts stay attachments (kept for audit) instead of being appended to the text.
  keepDeliveryStatus: true,
  checksumAlgo: 'sha256',
  // We never read textAsHtml; skipping it also skips linkify, the costliest step on long bodies.
  skipTextToHtml: true,
};

/**
 * Headers only a mail message has. Input in which mailparser finds none of them (plain text, binary
 * garbage) is not a message, whatever else it recovered.
 */
const MESSAGE_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'received',
  'return-path',
  'delivered-to',
  'x-original-to',
]);

/**
 * Parses raw MIME (SES inbound, the local SMTP server) into the domain's `InboundMail`: text decoded to
 * UTF-8 from any charset, Message-IDs normalized to `<id@host>`, addresses lower-cased, attachments
 * with SHA-256 checksums, and a delivery report for bounces.
 *
 * A truncated or sloppy message yields whatever mailparser recovers: a part cut off mid-way becomes
 * an attachment holding the bytes that arrived.
 *
 * @throws UnparseableMailError for empty input, input with no mail header at all, or input the
 *   parser rejects (e.g. headers over 1 MB).
 */
export async function parseInboundMail(raw: Uint8Array | Buffer): Promise<InboundMail> {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (isBlank(bytes)) {
    throw new UnparseableMailError(`the message is empty (${bytes.length} bytes of whitespace at most)`);
  }

  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(bytes, PARSER_OPTIONS);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnparseableMailError(`the message could not be parsed: ${reason}`, { cause: error });
  }

  const headerLines = parsed.headerLines ?? [];
  if (!headerLines.some((line) => MESSAGE_HEADERS.has(line.key))) {
    throw new UnparseableMailError(
      'the input is not a mail message: it has none of the headers From, To, Subject, Date, Message-ID, MIME-Version, Content-Type or Received',
    );
  }

  const raws = rawHeaderValues(headerLines);
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  const text = parsed.text?.trim() ? parsed.text : html === null ? '' : await textFromHtml(html);
  const from = addresses(parsed.from)[0] ?? null;
  const subject = parsed.subject ?? '';
  const attachments = parsed.attachments.map(toAttachment);

  return {
    messageId: messageIds(raws.get('message-id')?.[0] ?? '')[0] ?? null,
    inReplyTo: messageIds(raws.get('in-reply-to')?.[0] ?? ''),
    references: messageIds(raws.get('references')?.[0] ?? ''),
    from,
    replyTo: addresses(parsed.replyTo),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    deliveredTo: deliveredTo(headerLines),
    subject,
    date: isoDate(raws.get('date')?.[0]),
    text,
    html,
    headers: flattenHeaders(parsed, raws),
    attachments,
    deliveryReport: deliveryReport(parsed, attachments, text, from, subject, raws),
  };
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

// ---- headers -------------------------------------------------------------------------------------

/** Every header's occurrences by lower-cased name, in message order (see `rawValue`). */
function rawHeaderValues(lines: HeaderLines): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const list = values.get(key);
    if (list) list.push(rawValue(line));
    else values.set(key, [rawValue(line)]);
  }
  return values;
}

/** The value of a raw header line: name dropped, unfolded, raw UTF-8 and encoded words decoded. */
function rawValue(line: string): string {
  return decodeEncodedWords(unfold(utf8(line.slice(line.indexOf(':') + 1))));
}

/**
 * Header values by lower-cased name, first occurrence, as text. Plain headers come from the raw
 * lines, decoded here: mailparser decodes encoded words only in the headers it knows, replaces an
 * unparseable Date with the current time, and folds `List-*` into `list` and `X-Priority` into
 * `priority`. Its structured values are used where they add decoding: address headers as their
 * text with names decoded, Content-Type and Content-Disposition as their main value, and the
 * subject. An empty structured value (`Return-Path: <>`) keeps the raw text, which says more.
 */
function flattenHeaders(parsed: ParsedMail, raws: Map<string, string[]>): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [key, values] of raws) {
    const raw = values[0] ?? '';
    const structured = key === 'subject' ? (parsed.subject ?? null) : structuredText(key, parsed.headers.get(key));
    entries.push([key, structured || raw]);
  }
  // fromEntries defines own properties, so a header named `__proto__` cannot touch the prototype.
  return Object.fromEntries(entries);
}

/** Headers whose structured value is a main value plus parameters; the main value is what they say. */
const PARAMETERIZED_HEADERS = new Set(['content-type', 'content-disposition']);

function structuredText(key: string, value: HeaderValue | undefined): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (isAddressObject(first)) return first.text;
  if (PARAMETERIZED_HEADERS.has(key) && isStructuredHeader(first)) return first.value;
  return null;
}

function isAddressObject(value: unknown): value is AddressObject {
  return typeof value === 'object' && value !== null && 'text' in value && 'value' in value && Array.isArray(value.value);
}

function isStructuredHeader(value: unknown): value is StructuredHeader {
  return typeof value === 'object' && value !== null && 'params' in value && typeof (value as StructuredHeader).value === 'string';
}

/** RFC 5322 unfolding: a line break followed by whitespace is not part of the value. */
function unfold(value: string): string {
  return value.replace(/\r?\n(?=[ \t])/g, '').trim();
}

/** Header lines arrive as one char per byte; raw 8-bit headers are UTF-8 in practice (RFC 6532). */
function utf8(binary: string): string {
  return Buffer.from(binary, 'latin1').toString('utf8');
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;

interface EncodedRun {
  charset: string;
  bytes: Buffer;
}

/**
 * RFC 2047 encoded words. Adjacent words of one charset are decoded together, as senders split a
 * multi-byte character between them; whitespace between adjacent words is dropped (§6.2).
 */
function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  const parts: (string | EncodedRun)[] = [];
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, match.index);
    const previous = parts[parts.length - 1];
    const adjacent = typeof previous === 'object' && between.trim() === '';
    const charset = (match[1] ?? '').split('*')[0]?.toLowerCase() ?? '';
    const data = match[3] ?? '';
    const bytes =
      (match[2] ?? '').toLowerCase() === 'b'
        ? Buffer.from(data, 'base64')
        : Buffer.from(
            data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    if (adjacent && previous.charset === charset) {
      previous.bytes = Buffer.concat([previous.bytes, bytes]);
    } else {
      if (!adjacent) parts.push(between);
      parts.push({ charset, bytes });
    }
    last = match.index + match[0].length;
  }
  parts.push(value.slice(last));
  return parts.map((part) => (typeof part === 'string' ? part : decodeBytes(part.bytes, part.charset))).join('');
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // A charset the runtime does not know: the bytes as UTF-8 beat showing the encoded word.
    return bytes.toString('utf8');
  }
}

/** The Date header as an ISO timestamp, or null when it is missing or unparseable. */
function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

// ---- message ids and addresses ------------------------------------------------------------------

/**
 * A bracketed id, or a bare word with the `left@right` shape of one. A bare word is only tried from
 * its first character, which keeps a long run without "@" linear.
 */
const MESSAGE_ID_TOKEN = /<([^<>]*)>|(?<![^\s<>,;"()])([^\s<>,;"()]+@[^\s<>,;"()]+)/g;

/**
 * Message-IDs in a header value, each as `<id@host>`: tolerant of missing brackets, commas or folding
 * between ids, and whitespace inside brackets. Words of an old-style phrase ("your message of …") are
 * not ids and are skipped.
 */
function messageIds(value: string): string[] {
  const ids = new Set<string>();
  for (const match of value.matchAll(MESSAGE_ID_TOKEN)) {
    const id = (match[1] ?? match[2] ?? '').replace(/\s+/g, '');
    if (id !== '') ids.add(`<${id}>`);
  }
  return [...ids];
}

function addresses(header: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return objects
    .flatMap((object) => mailboxes(object.value))
    .map((mailbox) => ({ address: (mailbox.address ?? '').trim().toLowerCase(), name: mailbox.name.trim() || null }))
    .filter((mailbox) => mailbox.address !== '');
}

/** Groups (`Team: a@x, b@y;`) are replaced by their members. */
function mailboxes(list: EmailAddress[]): EmailAddress[] {
  return list.flatMap((entry) => (entry.group ? mailboxes(entry.group) : [entry]));
}

/** Envelope recipients from every Delivered-To and X-Original-To header, in order, lower-cased, once each. */
function deliveredTo(lines: HeaderLines): string[] {
  const found: string[] = [];
  for (const { key, line } of lines) {
    if (key !== 'delivered-to' && key !== 'x-original-to') continue;
    const value = rawValue(line);
    const address = (/<([^<>]*)>/.exec(value)?.[1] ?? value).trim().toLowerCase();
    if (address !== '' && !found.includes(address)) found.push(address);
  }
  return found;
}

// ---- body ----------------------------------------------------------------------------------------

/**
 * mailparser converts HTML to text only when the HTML is the whole message or has a plain-text
 * sibling, not when it sits in multipart/related (HTML with inline images) or multipart/mixed. For
 * those, the HTML goes through mailparser again as a one-part message, so the same converter (its
 * html-to-text, with its nesting limits) produces the text and no second dependency is needed.
 */
async function textFromHtml(html: string): Promise<string> {
  const message = Buffer.from(`Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${html}`, 'utf8');
  const parsed = await simpleParser(message, PARSER_OPTIONS);
  return parsed.text ?? '';
}

// ---- attachments ---------------------------------------------------------------------------------

/** File extensions for generated attachment names; anything else is `.bin`. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/ms-tnef': 'dat',
  'application/pkcs7-signature': 'p7s',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/csv': 'csv',
  'text/calendar': 'ics',
  'text/rfc822-headers': 'txt',
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'message/delivery-status': 'txt',
  'message/global-delivery-status': 'txt',
  'message/disposition-notification': 'txt',
};

function toAttachment(attachment: Attachment, index: number): InboundAttachment {
  const contentType = attachment.contentType.toLowerCase();
  return {
    filename: attachment.filename?.trim() || `attachment-${index + 1}.${EXTENSIONS[contentType] ?? 'bin'}`,
    contentType,
    size: attachment.content.length,
    checksum: attachment.checksum,
    contentId: attachment.cid?.trim() || null,
    // Shown within the body: marked inline by the sender, or an image the HTML embeds by Content-ID.
    inline: attachment.contentDisposition === 'inline' || attachment.related === true,
    content: ownBytes(attachment.content),
  };
}

/** A Uint8Array that does not expose Buffer's shared allocation pool through `.buffer`. */
function ownBytes(buffer: Buffer): Uint8Array {
  const whole = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength;
  return whole ? new Uint8Array(buffer.buffer, 0, buffer.byteLength) : new Uint8Array(buffer);
}

// ---- delivery reports ----------------------------------------------------------------------------

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_MESSAGE_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);

/** Senders of bounces by convention (RFC 5321 §4.5.5 null-sender DSNs are signed by these). */
const BOUNCE_SENDER = /^(?:mailer-daemon|mail-daemon|postmaster)@/i;
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
function deliveryReport(
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
