/** How Switchboard's mailboxes behave. */
export interface MailSettings {
  /** The domain our inbound addresses live at, e.g. `switchboard.local`. */
  domain: string;
  /** Local part → queue, e.g. `support` → `customers`. */
  inboundAddresses: Readonly<Record<string, string>>;
  /** Queue of any other recipient at the domain. */
  defaultQueue: string;
  /** A reply to a resolved case within this many days reopens it; later it opens a follow-up. */
  reopenWindowDays: number;
  /** Total attachment bytes kept per message; the rest is recorded as rejected (the raw mail keeps all). */
  maxAttachmentBytes: number;
  /** Acknowledgements one sender may receive in any 60 minutes. */
  acknowledgementsPerSenderPerHour: number;
  /** Acknowledgements the deployment sends in one minute, all senders together. */
  maxAcknowledgementsPerMinute: number;
  /** The same sender, subject and text again within this many minutes joins the first case. */
  duplicateWindowMinutes: number;
  /** Display name on our outbound mail. */
  senderName: string;
}

/**
 * How every deployment handles mail beyond what its configuration sets (domain, addresses, queues,
 * reopen window, attachment budget: see `mailSettingsFromEnv`).
 */
export const MAIL_HANDLING: Pick<MailSettings, 'acknowledgementsPerSenderPerHour' | 'duplicateWindowMinutes' | 'senderName'> = {
  acknowledgementsPerSenderPerHour: 3,
  duplicateWindowMinutes: 10,
  senderName: 'Switchboard Customer Service',
};

/** Whether an address is one of ours (any address at our domain). */
export function isOwnAddress(settings: MailSettings, address: string): boolean {
  return address.toLowerCase().endsWith(`@${settings.domain.toLowerCase()}`);
}

/**
 * The mailbox a message was sent to and the queue it feeds: the first of our addresses among the
 * recipients, in the order envelope, To, Cc. Mail that names none of ours (a Bcc) uses the first
 * configured address.
 */
export function mailboxOf(settings: MailSettings, recipients: readonly string[]): { address: string; queue: string } {
  const ours = recipients.map((address) => address.toLowerCase()).find((address) => isOwnAddress(settings, address));
  if (ours) {
    const localPart = ours.slice(0, ours.lastIndexOf('@')).split('+')[0] as string;
    return { address: ours, queue: settings.inboundAddresses[localPart] ?? settings.defaultQueue };
  }
  const [localPart, queue] = Object.entries(settings.inboundAddresses)[0] ?? ['support', settings.defaultQueue];
  return { address: `${localPart}@${settings.domain}`, queue };
}

/** The address a queue's mail goes out from: the first inbound address mapped to it, else the first one. */
export function senderAddressOf(settings: MailSettings, queue: string): string {
  const entries = Object.entries(settings.inboundAddresses);
  const [localPart] = entries.find(([, mapped]) => mapped === queue) ?? entries[0] ?? ['support'];
  return `${localPart}@${settings.domain}`;
}
