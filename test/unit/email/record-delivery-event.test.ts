import { describe, expect, it } from 'vitest';
import { recordDeliveryEvent } from '#email/use-cases/record-delivery-event';
import { InMemoryMailStore } from '../../support/memory/in-memory-mail-store.js';
import { aCase, aMessage, memoryDeps } from '../../support/builders.js';

const REGION = 'eu-central-1';
const SES_ID = '010701234567890a-11111111-2222-3333-4444-555555555555-000000';

/** A sent acknowledgement on case-1, indexed under the Message-ID SES gave it, as the outbox leaves it. */
function scene() {
  const base = memoryDeps();
  const mail = new InMemoryMailStore(base.db, () => base.clock.now());
  base.db.cases.set('case-1', aCase());
  base.db.timeline.set('case-1', []);
  const sent = aMessage({
    id: 'ack-1',
    direction: 'outbound',
    kind: 'acknowledgement',
    from: 'support@switchboard.local',
    to: ['anna@example.pl'],
    messageId: '<ack-1@switchboard.local>',
    delivery: { status: 'sent', attempts: 1, leaseUntil: null, providerMessageId: SES_ID, error: null },
  });
  base.db.messages.set('case-1', [sent]);
  mail.caseIdByMessageId.set(`<${SES_ID}@${REGION}.amazonses.com>`, 'case-1');
  mail.messageItemIdByMessageId.set(`<${SES_ID}@${REGION}.amazonses.com>`, 'ack-1');
  const deps = { mail, clock: base.clock, ids: base.ids };
  const statusOf = () => base.db.messages.get('case-1')?.[0]?.delivery?.status;
  return { deps, db: base.db, mail, statusOf };
}

/** The detail of SES's `Email Bounced` event (its event record). */
function bounceDetail(bounceType: 'Permanent' | 'Transient', messageId = SES_ID) {
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: [
        { emailAddress: 'Anna@example.pl', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
      ],
      timestamp: '2026-11-23T09:00:01.000Z',
      feedbackId: 'feedback-1',
    },
    mail: {
      timestamp: '2026-11-23T09:00:00.000Z',
      source: 'support@switchboard.local',
      messageId,
      destination: ['anna@example.pl'],
      tags: { 'ses:configuration-set': ['switchboard-test'] },
    },
  };
}

const complaintDetail = {
  eventType: 'Complaint',
  complaint: {
    complainedRecipients: [{ emailAddress: 'anna@example.pl' }],
    timestamp: '2026-11-23T10:00:00.000Z',
    feedbackId: 'feedback-2',
    complaintFeedbackType: 'abuse',
  },
  mail: { timestamp: '2026-11-23T09:00:00.000Z', source: 'support@switchboard.local', messageId: SES_ID, destination: ['anna@example.pl'] },
};

describe('recordDeliveryEvent', () => {
  it('marks the message bounced, adds an email.bounced entry and suppresses a hard-bounced address', async () => {
    const { deps, db, mail, statusOf } = scene();

    const outcome = await recordDeliveryEvent(deps, { region: REGION, detail: bounceDetail('Permanent') });

    expect(outcome).toEqual({
      outcome: 'recorded',
      caseId: 'case-1',
      messageItemId: 'ack-1',
      status: 'bounced',
      suppressed: ['anna@example.pl'],
    });
    expect(statusOf()).toBe('bounced');
    expect(db.messages.get('case-1')?.[0]?.delivery?.error).toContain('550 5.1.1');
    expect(db.timeline.get('case-1')?.map((entry) => entry.action)).toEqual(['email.bounced']);
    expect([...mail.suppressions.keys()]).toEqual(['anna@example.pl']);
  });

  it('marks a transient bounce without suppressing the address', async () => {
    const { deps, mail, statusOf } = scene();

    await recordDeliveryEvent(deps, { region: REGION, detail: bounceDetail('Transient') });

    expect(statusOf()).toBe('bounced');
    expect(mail.suppressions.size).toBe(0);
  });

  it('marks a complaint and suppresses the complaining address', async () => {
    const { deps, db, mail, statusOf } = scene();

    const outcome = await recordDeliveryEvent(deps, { region: REGION, detail: complaintDetail });

    expect(outcome).toMatchObject({ outcome: 'recorded', status: 'complained' });
    expect(statusOf()).toBe('complained');
    expect(db.timeline.get('case-1')?.map((entry) => entry.action)).toEqual(['email.complained']);
    expect(mail.suppressions.get('anna@example.pl')?.reason).toBe('complained');
  });

  it('changes nothing for a repeated event, an unknown message or another kind of event', async () => {
    const { deps, db } = scene();
    await recordDeliveryEvent(deps, { region: REGION, detail: bounceDetail('Permanent') });

    const repeated = await recordDeliveryEvent(deps, { region: REGION, detail: bounceDetail('Permanent') });
    const unknown = await recordDeliveryEvent(deps, { region: REGION, detail: bounceDetail('Permanent', 'not-ours') });
    const delivery = await recordDeliveryEvent(deps, { region: REGION, detail: { eventType: 'Delivery', mail: { messageId: SES_ID } } });

    expect(repeated).toMatchObject({ outcome: 'repeated' });
    expect(unknown).toEqual({ outcome: 'unmatched', sesMessageId: 'not-ours' });
    expect(delivery).toEqual({ outcome: 'ignored' });
    expect(db.timeline.get('case-1')).toHaveLength(1);
  });
});
