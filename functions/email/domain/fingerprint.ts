import { createHash } from 'node:crypto';

/**
 * Identifies "the same mail again": same sender, subject and new text, ignoring case, whitespace and
 * reply prefixes, so a customer's "did you get my mail?" resend is recognized.
 */
export function mailFingerprint(sender: string, subject: string, text: string): string {
  const normalize = (value: string) => value.toLowerCase().replace(/\s+/g, ' ').trim();
  const bareSubject = subject.replace(/^\s*((re|aw|odp|fwd?|wg)\s*:\s*)+/i, '');
  return createHash('sha256')
    .update(`${normalize(sender)}\n${normalize(bareSubject)}\n${normalize(text)}`)
    .digest('hex');
}

/** A Message-ID for mail that has none, derived from its bytes so a redelivery gets the same one. */
export function syntheticMessageId(raw: Uint8Array): string {
  return `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@no-message-id.switchboard.invalid>`;
}

/** A short, stable, key-safe name for a message, used for its attachments' object keys. */
export function messageKeyOf(messageId: string): string {
  return createHash('sha256').update(messageId.toLowerCase()).digest('hex').slice(0, 32);
}
