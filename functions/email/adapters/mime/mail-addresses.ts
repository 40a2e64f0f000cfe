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
