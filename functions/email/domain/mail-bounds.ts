import type { InboundMail, MailAddress } from './inbound-mail.js';

/**
 * What one received mail may put into DynamoDB. A DynamoDB item holds at most 400 KB, and a mail
 * that opens a case writes its text twice (the message and the case's description) and its subject
 * three times (case, message, acknowledgement) in one transaction. With every field at these caps
 * the new-case transaction stays under 300 KB, its largest item (the message) under 200 KB, (`test/unit/email/mail-bounds.test.ts` builds it), so a
 * 3 MB body, a 5,000-character subject or 2,000 References still become a case. Nothing is lost:
 * the raw message in the bucket keeps every byte, and `GET /cases/{id}/messages/{messageId}/raw`
 * serves it.
 */
export const MAIL_BOUNDS = {
  /** UTF-8 bytes of the text stored on the message (and the new case's description). */
  textMaxBytes: 64 * 1024,
  /** Text handed to quote stripping: the new content is at the top, the tail of a huge body is history or noise. */
  replyScanMaxBytes: 256 * 1024,
  /** RFC 5322's line limit, which the case subject already keeps (`CASE_LIMITS.subjectMaxChars`). */
  subjectMaxChars: 998,
  /** A display name, or a From header recorded as written. */
  nameMaxChars: 200,
  /** RFC 5321's limit of a forward path; longer is not an address anyone can answer. */
  addressMaxChars: 254,
  /** To and Cc addresses each; the rest stay in the raw message. */
  recipientsMax: 50,
  /** RFC 5322 gives no limit; real ids are under 100 characters, longer ones are junk or attacks. */
  messageIdMaxChars: 250,
  /** References kept: the root of the thread and the nearest ones, which is what threading reads. */
  referencesMax: 30,
  inReplyToMax: 5,
  /** Attachments stored per message, and entries of the rejected list (a summary entry covers the rest). */
  attachmentsMax: 50,
  rejectedListMax: 20,
  /** Characters of a file name as listed; the stored object keeps its bytes whatever the name. */
  filenameMaxChars: 100,
  /** Addresses on a case's mail (the customer and everyone copied). */
  participantsMax: 50,
} as const;

/** `text` cut to at most `maxBytes` of UTF-8, at a character boundary. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Four bytes per character at most: shorter strings need no encoding to know they fit.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut never splits a character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return { text: new TextDecoder().decode(bytes.subarray(0, end)), truncated: true };
}

/** `value` cut to `max` characters (code points, so a surrogate pair is never split). */
export function truncateChars(value: string, max: number): string {
  if (value.length <= max) return value;
  return [...value].slice(0, max).join('');
}

function boundAddresses(list: readonly MailAddress[], max: number): MailAddress[] {
  return list
    .filter((mailbox) => mailbox.address.length <= MAIL_BOUNDS.addressMaxChars)
    .slice(0, max)
    .map((mailbox) => ({
      address: mailbox.address,
      name: mailbox.name === null ? null : truncateChars(mailbox.name, MAIL_BOUNDS.nameMaxChars),
    }));
}

function boundIds(ids: readonly string[]): string[] {
  return ids.filter((id) => id.length <= MAIL_BOUNDS.messageIdMaxChars);
}

/** The root of a thread and the nearest ids before the message, in their order. */
export function boundReferences(references: readonly string[]): string[] {
  const ids = boundIds(references);
  if (ids.length <= MAIL_BOUNDS.referencesMax) return ids;
  return [...ids.slice(0, 1), ...ids.slice(ids.length - (MAIL_BOUNDS.referencesMax - 1))];
}

/**
 * The parsed mail with every field the intake stores bounded (subject, names, recipients,
 * Message-IDs). The text is left whole: the quote stripping and the reference markers read it, and
 * `boundText` bounds what is stored. A Message-ID longer than the cap is not one we could have sent,
 * so dropping it from In-Reply-To/References loses no thread.
 */
export function boundInboundMail(mail: InboundMail): InboundMail {
  return {
    ...mail,
    messageId: mail.messageId !== null && mail.messageId.length <= MAIL_BOUNDS.messageIdMaxChars ? mail.messageId : null,
    inReplyTo: boundIds(mail.inReplyTo).slice(0, MAIL_BOUNDS.inReplyToMax),
    references: boundReferences(mail.references),
    from: mail.from && boundAddresses([mail.from], 1)[0] ? (boundAddresses([mail.from], 1)[0] ?? null) : null,
    fromAsWritten: mail.fromAsWritten === null ? null : truncateChars(mail.fromAsWritten, MAIL_BOUNDS.nameMaxChars),
    replyTo: boundAddresses(mail.replyTo, MAIL_BOUNDS.recipientsMax),
    to: boundAddresses(mail.to, MAIL_BOUNDS.recipientsMax),
    cc: boundAddresses(mail.cc, MAIL_BOUNDS.recipientsMax),
    subject: truncateChars(mail.subject, MAIL_BOUNDS.subjectMaxChars),
  };
}
