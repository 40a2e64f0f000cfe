import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { nodemailerComposer } from '#email/adapters/mime/compose-mime';
import type { CaseMessage } from '#cases/domain/case-message';

const acknowledgement: CaseMessage = {
  id: 'm2',
  caseId: 'c1',
  direction: 'outbound',
  channel: 'email',
  kind: 'acknowledgement',
  from: 'support@switchboard.local',
  fromName: 'Switchboard Customer Service',
  to: ['anna@example.pl'],
  cc: [],
  subject: 'Otrzymaliśmy Twoje zgłoszenie: Reklamacja [CS-000001]',
  text: 'Dzień dobry\n\n[ref:CS-000001:abcdefghjk]',
  textTruncated: false,
  messageId: '<m2.cs-000001@switchboard.local>',
  inReplyTo: ['<m1@example.pl>'],
  references: ['<m0@example.pl>', '<m1@example.pl>'],
  attachments: [],
  rejectedAttachments: [],
  threading: { method: 'acknowledgement', confidence: 'high' },
  automation: 'acknowledgement',
  rawKey: null,
  authorId: null,
  delivery: { status: 'queued', attempts: 0, leaseUntil: null, providerMessageId: null, error: null },
  createdAt: '2026-11-23T09:00:00.000Z',
};

describe('nodemailerComposer', () => {
  it('writes the threading headers that keep the customer’s conversation together', async () => {
    const parsed = await simpleParser(Buffer.from(await nodemailerComposer.compose(acknowledgement)));

    expect(parsed.messageId).toBe('<m2.cs-000001@switchboard.local>');
    expect(parsed.inReplyTo).toBe('<m1@example.pl>');
    expect(parsed.references).toEqual(['<m0@example.pl>', '<m1@example.pl>']);
    expect(parsed.subject).toBe('Otrzymaliśmy Twoje zgłoszenie: Reklamacja [CS-000001]');
    expect(parsed.text).toContain('[ref:CS-000001:abcdefghjk]');
  });

  it('marks acknowledgements as automatic, so auto-responders do not answer them, and agents’ replies not', async () => {
    const ack = await simpleParser(Buffer.from(await nodemailerComposer.compose(acknowledgement)));
    const reply = await simpleParser(Buffer.from(await nodemailerComposer.compose({ ...acknowledgement, kind: 'reply' })));

    expect(ack.headers.get('auto-submitted')).toBe('auto-replied');
    expect(reply.headers.get('auto-submitted')).toBeUndefined();
  });
});
