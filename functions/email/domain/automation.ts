import type { InboundMail } from './inbound-mail.js';
import { isOwnAddress, type MailSettings } from './mail-settings.js';

/**
 * Why a message is not from a person who expects an answer, or null when it is. Answering
 * machines with machines is how mail loops start (RFC 3834), so none of these gets an acknowledgement.
 */
export function automationOf(mail: InboundMail, settings: MailSettings): string | null {
  const header = (name: string) => mail.headers[name]?.trim().toLowerCase();
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return `auto-submitted: ${autoSubmitted}`;
  const precedence = header('precedence');
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) return `precedence: ${precedence}`;
  if (mail.headers['x-autoreply'] !== undefined || mail.headers['x-autorespond'] !== undefined) return 'x-autoreply';
  if (mail.headers['list-id'] !== undefined) return 'mailing list';
  const from = mail.from?.address ?? '';
  if (isSystemMailbox(from)) return `system sender ${from}`;
  if (isOwnAddress(settings, from)) return 'our own address';
  return null;
}

/**
 * mailer-daemon@ speaks for mail servers, never for a customer. postmaster@ is a person's mailbox
 * at many small companies; bounces sent from it are recognised by their delivery-status report.
 */
function isSystemMailbox(address: string): boolean {
  const localPart = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  return localPart === 'mailer-daemon';
}

const BOUNCE_SUBJECT = /undeliver|delivery status|delivery failure|returned mail|failure notice|niedostarcz|unzustellbar|nicht zustellbar/i;

/** Whether the message reports that one of our messages could not be delivered. */
export function isBounce(mail: InboundMail): boolean {
  if (mail.deliveryReport) return true;
  return isSystemMailbox(mail.from?.address ?? '') && BOUNCE_SUBJECT.test(mail.subject);
}

/** SES's receipt scan verdict (spam or virus), when it failed the message. */
export function scanVerdict(mail: InboundMail): 'virus' | 'spam' | null {
  if (mail.headers['x-ses-virus-verdict']?.trim().toUpperCase() === 'FAIL') return 'virus';
  if (mail.headers['x-ses-spam-verdict']?.trim().toUpperCase() === 'FAIL') return 'spam';
  return null;
}
