import { systemActor } from '#platform/domain/actor';
import { isoNow } from '#platform/domain/clock';
import type { Clock } from '#platform/domain/clock';
import type { IdGenerator } from '#platform/domain/ids';
import type { MailStore } from '../domain/email-ports.js';
import { addressesToSuppress, deliveryEventError, parseSesDeliveryEvent } from '../domain/ses-delivery-event.js';

export interface DeliveryEventDeps {
  mail: MailStore;
  clock: Clock;
  ids: IdGenerator;
}

export type DeliveryEventOutcome =
  | { outcome: 'recorded'; caseId: string; messageItemId: string; status: 'bounced' | 'complained'; suppressed: string[] }
  | { outcome: 'repeated'; caseId: string; messageItemId: string }
  | { outcome: 'unmatched'; sesMessageId: string }
  | { outcome: 'ignored' };

const SES_EVENTS = systemActor('ses-events');

/**
 * Records SES's report of a bounce or complaint about mail we sent: the outbound message gets
 * delivery status `bounced` or `complained` and its case an `email.bounced`/`email.complained`
 * timeline entry; a hard-bounced or complaining address is suppressed, so intake sends it no more
 * acknowledgements. The message is found by the Message-IDs SES gave it (indexed when the outbox
 * sent it) or by the one we wrote. A repeated event changes nothing.
 */
export async function recordDeliveryEvent(
  deps: DeliveryEventDeps,
  input: { region: string; detail: unknown },
): Promise<DeliveryEventOutcome> {
  const event = parseSesDeliveryEvent(input.detail);
  if (!event) return { outcome: 'ignored' };
  const found = await deps.mail.findMessageByMessageId([
    `<${event.sesMessageId}@${input.region}.amazonses.com>`,
    `<${event.sesMessageId}@email.amazonses.com>`,
    ...(event.headerMessageId ? [event.headerMessageId] : []),
  ]);
  if (!found) return { outcome: 'unmatched', sesMessageId: event.sesMessageId };

  const now = isoNow(deps.clock);
  const suppressed = addressesToSuppress(event);
  const recorded = await deps.mail.recordDeliveryEvent({
    status: event.status,
    caseId: found.caseId,
    messageItemId: found.messageItemId,
    error: deliveryEventError(event),
    timeline: {
      id: deps.ids.newId(),
      caseId: found.caseId,
      at: now,
      actor: { kind: SES_EVENTS.kind, id: SES_EVENTS.id },
      action: event.status === 'bounced' ? 'email.bounced' : 'email.complained',
      changes: [],
      data: {
        messageItemId: found.messageItemId,
        sesMessageId: event.sesMessageId,
        type: event.type,
        recipients: event.recipients,
        reportedAt: event.at,
        suppressed,
      },
    },
    suppress: suppressed.map((address) => ({ address, reason: event.status, at: now })),
  });
  return recorded
    ? { outcome: 'recorded', caseId: found.caseId, messageItemId: found.messageItemId, status: event.status, suppressed }
    : { outcome: 'repeated', caseId: found.caseId, messageItemId: found.messageItemId };
}
