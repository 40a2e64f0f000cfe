import { simpleParser, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import type { InboundMail } from '../../domain/inbound-mail.js';
import { deliveryReport } from './delivery-report.js';
import { headerEnd, withUtf8Headers } from './header-charset.js';
import { addresses, deliveredTo, messageIds, validSender } from './mail-addresses.js';
import { toAttachment } from './mail-attachments.js';
import { flattenHeaders, isoDate, rawHeaderValues } from './mail-headers.js';

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
    parsed = await simpleParser(withUtf8Headers(bytes), PARSER_OPTIONS);
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
  const attachments = parsed.attachments.map(toAttachment);
  const text = parsed.text?.trim()
    ? parsed.text
    : html !== null
      ? await textFromHtml(html)
      : attachments.length === 0
        ? undeclaredBody(bytes)
        : '';
  const fromHeaders = raws.get('from') ?? [];
  const from = validSender(fromHeaders, addresses(parsed.from));
  const subject = parsed.subject ?? '';

  return {
    messageId: messageIds(raws.get('message-id')?.[0] ?? '')[0] ?? null,
    inReplyTo: messageIds(raws.get('in-reply-to')?.[0] ?? ''),
    references: messageIds(raws.get('references')?.[0] ?? ''),
    from,
    fromAsWritten: from === null && fromHeaders.length > 0 ? fromHeaders.join(', ') : null,
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

/**
 * The body as text when the parser found no part in it: a multipart whose declared boundary never
 * appears (a broken client, a gateway that rewrote it) has its words between the header and the end,
 * and mailparser returns neither text nor attachments. UTF-8 when valid, else Latin-1, which maps
 * every byte to a character, so nothing is dropped; the raw message keeps the exact bytes.
 */
function undeclaredBody(bytes: Buffer): string {
  const body = bytes.subarray(headerEnd(bytes));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body).trim();
  } catch {
    return body.toString('latin1').trim();
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

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
