import { describe, expect, it } from 'vitest';
import { InMemoryMailObjects, InMemoryMailStore } from '../../support/memory/in-memory-mail-store.js';
import { DEFAULT_CLASSIFICATION_RULES } from '#email/domain/classification';
import type { InboundMail } from '#email/domain/inbound-mail';
import type { EmailDeps } from '#email/use-cases/deps';
import { receiveEmail } from '#email/use-cases/receive-email';
import { memoryDeps } from '../../support/builders.js';
import { DEMO_MAIL_SETTINGS } from '../../support/demo-settings.js';

/** Intake deps in memory; the "parser" hands back whatever mail the test put under a key. */
function intakeDeps(settings: Partial<typeof DEMO_MAIL_SETTINGS> = {}) {
  const base = memoryDeps();
  const objects = new InMemoryMailObjects();
  const parsed = new Map<string, InboundMail>();
  const mail = new InMemoryMailStore(base.db, () => base.clock.now());
  const deps: EmailDeps = {
    ...base,
    mail,
    objects,
    parser: { parse: async (raw) => parsed.get(new TextDecoder().decode(raw)) as InboundMail },
    language: { detect: () => 'en' },
    mailSettings: { ...DEMO_MAIL_SETTINGS, ...settings },
    rules: DEFAULT_CLASSIFICATION_RULES,
  };
  const deliver = async (key: string, inbound: InboundMail) => {
    parsed.set(key, inbound);
    objects.objects.set(key, { content: new TextEncoder().encode(key), contentType: 'message/rfc822' });
    return receiveEmail(deps, { rawKey: key });
  };
  return { deps, db: base.db, mail, objects, clock: base.clock, deliver };
}

let counter = 0;
function inbound(overrides: Partial<InboundMail> = {}): InboundMail {
  counter += 1;
  return {
    messageId: `<m${counter}@example.com>`,
    inReplyTo: [],
    references: [],
    from: { address: 'anna@example.com', name: 'Anna' },
    fromAsWritten: null,
    replyTo: [],
    to: [{ address: 'support@switchboard.local', name: null }],
    cc: [],
    deliveredTo: [],
    subject: `Question ${counter}`,
    date: null,
    text: `Where is my parcel number ${counter}?`,
    html: null,
    headers: {},
    attachments: [],
    deliveryReport: null,
    ...overrides,
  };
}

const bytes = (size: number) => ({
  filename: `file-${size}.bin`,
  contentType: 'application/octet-stream',
  size,
  checksum: 'a'.repeat(64),
  contentId: null,
  inline: false,
  content: new Uint8Array(size),
});

describe('receiveEmail', () => {
  it('opens one case per new conversation with one commit, and queues an acknowledgement', async () => {
    const { deliver, db } = intakeDeps();

    const outcome = await deliver('inbound/1', inbound());

    expect(outcome).toMatchObject({ outcome: 'new_case', caseNumber: 'CS-000001', acknowledged: true });
    const messages = db.messages.get(outcome.outcome === 'new_case' ? outcome.caseId : '') ?? [];
    expect(messages.map((m) => [m.direction, m.kind, m.delivery?.status ?? null])).toEqual([
      ['inbound', 'message', null],
      ['outbound', 'acknowledgement', 'queued'],
    ]);
  });

  it('stores attachments up to the size limit and records the rest as rejected, losing nothing else', async () => {
    const { deliver, db, objects } = intakeDeps({ maxAttachmentBytes: 1_000 });

    const outcome = await deliver('inbound/2', inbound({ attachments: [bytes(600), bytes(300), bytes(500)] }));

    const caseId = outcome.outcome === 'new_case' ? outcome.caseId : '';
    const [message] = db.messages.get(caseId) ?? [];
    expect(message?.attachments.map((a) => a.size)).toEqual([600, 300]);
    expect(message?.rejectedAttachments).toEqual([{ filename: 'file-500.bin', size: 500, reason: 'over 1000 bytes per message' }]);
    expect([...objects.objects.keys()].filter((key) => key.startsWith('attachments/'))).toHaveLength(2);
    expect(db.timeline.get(caseId)?.map((entry) => entry.action)).toContain('email.attachments_rejected');
  });

  it('acknowledges one sender at most three times in an hour, and again after it', async () => {
    const { deliver, clock } = intakeDeps();

    const first = [];
    for (let i = 0; i < 4; i += 1) first.push(await deliver(`inbound/rate-${i}`, inbound()));
    clock.advance(61 * 60 * 1000);
    const later = await deliver('inbound/rate-later', inbound());

    expect(first.map((outcome) => outcome.outcome === 'new_case' && outcome.acknowledged)).toEqual([true, true, true, false]);
    expect(later).toMatchObject({ acknowledged: true });
  });

  it('leaves a bounce it cannot place unmatched, without opening a case', async () => {
    const { deliver, db } = intakeDeps();

    const outcome = await deliver(
      'inbound/bounce',
      inbound({
        from: { address: 'mailer-daemon@mx.example.com', name: null },
        deliveryReport: {
          originalMessageId: '<never-sent@switchboard.local>',
          recipients: ['x@example.com'],
          action: 'failed',
          status: '5.1.1',
          diagnostic: null,
        },
      }),
    );

    expect(outcome.outcome).toBe('bounce_unmatched');
    expect(db.cases.size).toBe(0);
  });
});
