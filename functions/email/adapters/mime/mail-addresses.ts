import type { AddressObject, EmailAddress, HeaderLines } from 'mailparser';
import type { MailAddress } from '../../domain/inbound-mail.js';
import { rawValue } from './mail-headers.js';

// Message-IDs and addresses as the domain compares them: ids as `<id@host>`, addresses lower-cased.

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
export function messageIds(value: string): string[] {
  const ids = new Set<string>();
  for (const match of value.matchAll(MESSAGE_ID_TOKEN)) {
    const id = (match[1] ?? match[2] ?? '').replace(/\s+/g, '');
    if (id !== '') ids.add(`<${id}>`);
  }
  return [...ids];
}

export function addresses(header: AddressObject | AddressObject[] | undefined): MailAddress[] {
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
export function deliveredTo(lines: HeaderLines): string[] {
  const found: string[] = [];
  for (const { key, line } of lines) {
    if (key !== 'delivered-to' && key !== 'x-original-to') continue;
    const value = rawValue(line);
    const address = (/<([^<>]*)>/.exec(value)?.[1] ?? value).trim().toLowerCase();
    if (address !== '' && !found.includes(address)) found.push(address);
  }
  return found;
}

/**
 * An address we may write back to: one `@`, no whitespace, quotes, brackets or separators, and a
 * dotted domain. Stricter than RFC 5322 on purpose: a quoted local part (`"john smith"@x`) is legal
 * but in inbound mail it is a client's mistake far more often than a real mailbox.
 */
const REPLYABLE_ADDRESS = /^[^\s@"<>()[\],;:\\]+@[^\s@"<>()[\],;:\\]+\.[^\s@"<>()[\],;:\\.]{2,}$/;

/** A trailing `<addr>`, the angle-addr form; or the whole value, the bare addr-spec form. */
const ANGLE_ADDR = /<\s*([^<>]*?)\s*>$/;

/**
 * The sender when the From header says exactly one address, written as RFC 5322 allows (`addr`,
 * `Name <addr>`, `"Name" <addr>`, with comments): one From header, one mailbox, a replyable address
 * that is what the header literally holds. mailparser recovers something from anything (`john
 * smith@example.com` becomes `smith@example.com`, `"Test" test@example.com` becomes
 * `test@example.com`); an acknowledgement to such a guess may reach a stranger, so those are null
 * and the caller records the header as written.
 */
export function validSender(fromHeaders: readonly string[], parsed: readonly MailAddress[]): MailAddress | null {
  if (fromHeaders.length !== 1 || parsed.length !== 1) return null;
  const mailbox = parsed[0];
  if (!mailbox || !REPLYABLE_ADDRESS.test(mailbox.address) || mailbox.address.length > 254) return null;
  const written = withoutComments(fromHeaders[0] ?? '');
  const literal = (ANGLE_ADDR.exec(written)?.[1] ?? written).toLowerCase();
  return literal === mailbox.address ? mailbox : null;
}

/** RFC 5322 comments (`(Jan)`) outside quoted strings, as some clients append them after the address. */
function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value[i] ?? '';
    if (c === '\\' && (quoted || depth === 0)) {
      out += c + (value[i + 1] ?? '');
      i += 1;
    } else if (c === '"' && depth === 0) {
      quoted = !quoted;
      out += c;
    } else if (c === '(' && !quoted) depth += 1;
    else if (c === ')' && !quoted && depth > 0) depth -= 1;
    else if (depth === 0) out += c;
  }
  return out.trim();
}
