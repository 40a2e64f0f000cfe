/**
 * What SES reports about mail it sent, as its configuration set publishes it to EventBridge
 * (detail-types `Email Bounced` and `Email Complaint Received`; the detail is SES's event record:
 * `eventType`, `mail`, and `bounce` or `complaint`). Only bounces and complaints matter here.
 */
export interface SesDeliveryEvent {
  status: 'bounced' | 'complained';
  /** SES's id of the message (`mail.messageId`), which SES also puts in the delivered Message-ID. */
  sesMessageId: string;
  /** The Message-ID header the message was sent with, when SES reports it. */
  headerMessageId: string | null;
  /** `Permanent`, `Transient`, `Undetermined` for bounces; the feedback type for complaints. */
  type: string;
  /** Recipients the event is about, lower-cased, with what their server said. */
  recipients: { address: string; status: string | null; diagnostic: string | null }[];
  /** When SES saw the bounce or complaint (ISO). */
  at: string | null;
}

export const SES_EVENT_DETAIL_TYPES = { bounce: 'Email Bounced', complaint: 'Email Complaint Received' } as const;

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Reads a bounce or complaint event's detail; null for any other event or one without a message id. */
export function parseSesDeliveryEvent(detail: unknown): SesDeliveryEvent | null {
  const record = object(detail);
  const eventType = text(record.eventType ?? record.notificationType)?.toLowerCase();
  const mail = object(record.mail);
  const sesMessageId = text(mail.messageId);
  if (!sesMessageId || (eventType !== 'bounce' && eventType !== 'complaint')) return null;
  const headerMessageId = text(object(mail.commonHeaders).messageId);
  if (eventType === 'bounce') {
    const bounce = object(record.bounce);
    return {
      status: 'bounced',
      sesMessageId,
      headerMessageId,
      type: text(bounce.bounceType) ?? 'Undetermined',
      recipients: list(bounce.bouncedRecipients).flatMap((entry) => {
        const recipient = object(entry);
        const address = text(recipient.emailAddress);
        return address
          ? [{ address: address.toLowerCase(), status: text(recipient.status), diagnostic: text(recipient.diagnosticCode) }]
          : [];
      }),
      at: text(bounce.timestamp),
    };
  }
  const complaint = object(record.complaint);
  return {
    status: 'complained',
    sesMessageId,
    headerMessageId,
    type: text(complaint.complaintFeedbackType) ?? 'abuse',
    recipients: list(complaint.complainedRecipients).flatMap((entry) => {
      const address = text(object(entry).emailAddress);
      return address ? [{ address: address.toLowerCase(), status: null, diagnostic: null }] : [];
    }),
    at: text(complaint.timestamp),
  };
}

/**
 * Addresses that must get no more acknowledgements: every complaining recipient, and the
 * recipients of a permanent (hard) bounce. A transient bounce says nothing lasting about the address.
 */
export function addressesToSuppress(event: SesDeliveryEvent): string[] {
  if (event.status === 'bounced' && event.type !== 'Permanent') return [];
  return event.recipients.map((recipient) => recipient.address);
}

/** What the outbound message's delivery error says about the event. */
export function deliveryEventError(event: SesDeliveryEvent): string {
  if (event.status === 'complained') return `complaint (${event.type}) from ${event.recipients.map((r) => r.address).join(', ')}`;
  const first = event.recipients[0];
  return `${event.type} bounce${first ? ` from ${first.address}: ${first.diagnostic ?? first.status ?? 'no diagnostic'}` : ''}`;
}
