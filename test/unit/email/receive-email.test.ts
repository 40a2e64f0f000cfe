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

/** SES's header for mail that proves its From (example.com), and for mail that fails every check. */
const PASS = {
  'authentication-results':
    'amazonses.com; spf=pass smtp.mailfrom=x@example.com; dkim=pass header.d=example.com; dmarc=pass header.from=example.com',
};
const FAIL = {
  'authentication-results':
    'amazonses.com; spf=fail smtp.mailfrom=x@evil.example; dkim=fail header.d=evil.example; dmarc=fail header.from=example.com',
};

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
    headers: { ...PASS },
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

  it('opens a new case for forged mail naming the case number of the sender it pretends to be, changing nothing on that case', async () => {
    const { deliver, db } = intakeDeps();
    const first = await deliver('inbound/own', inbound());
    const ownId = first.outcome === 'new_case' ? first.caseId : '';
    const before = structuredClone(db.cases.get(ownId));

    const forged = await deliver(
      'inbound/forged',
      inbound({ subject: 'Re: Question [CS-000001]', cc: [{ address: 'eve@evil.example', name: null }], headers: { ...FAIL } }),
    );

    expect(forged).toMatchObject({ outcome: 'new_case', caseNumber: 'CS-000002', acknowledged: false });
    expect(forged.outcome === 'new_case' && forged.acknowledgementWithheld).toContain('not proven: dmarc=fail');
    const opened = db.cases.get(forged.outcome === 'new_case' ? forged.caseId : '');
    expect(opened?.relatedCases).toEqual([{ caseId: ownId, number: 'CS-000001', relation: 'possibly_same_thread_as' }]);
    expect(opened?.participants).toEqual(['anna@example.com']);
    expect(db.cases.get(ownId)).toEqual(before);
    expect(db.messages.get(ownId)?.filter((m) => m.direction === 'inbound')).toHaveLength(1);
  });

  it('threads by subject number a participant whose mail proves its sender', async () => {
    const { deliver } = intakeDeps();
    await deliver('inbound/proven-1', inbound());

    const reply = await deliver('inbound/proven-2', inbound({ subject: 'Re: Question [CS-000001]' }));

    expect(reply).toMatchObject({ outcome: 'threaded', caseNumber: 'CS-000001', method: 'subject_number' });
  });

  it('threads by the secret reference marker whatever the verdict, without letting an unproven sender in', async () => {
    const { deliver, db } = intakeDeps();
    const first = await deliver('inbound/marker-1', inbound());
    const caseId = first.outcome === 'new_case' ? first.caseId : '';
    // A token of the real alphabet (the fake secrets' `tok…` has letters the marker never carries).
    const token = 'abcdefghjk';
    db.cases.set(caseId, { ...db.cases.get(caseId)!, replyToken: token });

    const reply = await deliver(
      'inbound/marker-2',
      inbound({ from: { address: 'bob@elsewhere.example', name: null }, text: `Thanks\n[ref:CS-000001:${token}]`, headers: { ...FAIL } }),
    );

    expect(reply).toMatchObject({ outcome: 'threaded', caseId, method: 'reference_token' });
    expect(db.cases.get(caseId)?.participants).toEqual(['anna@example.com']);
  });

  it('records Cc addresses of threaded mail on the message and never adds them as participants', async () => {
    const { deliver, db } = intakeDeps();
    const first = await deliver('inbound/cc-1', inbound());
    const caseId = first.outcome === 'new_case' ? first.caseId : '';

    await deliver('inbound/cc-2', inbound({ subject: 'Re: [CS-000001]', cc: [{ address: 'carol@example.com', name: null }] }));

    expect(db.messages.get(caseId)?.at(-1)?.cc).toEqual(['carol@example.com']);
    expect(db.cases.get(caseId)?.participants).toEqual(['anna@example.com']);
  });

  it('records an auto-reply on a resolved or closed case without reopening it or opening a follow-up', async () => {
    const { deliver, db, clock } = intakeDeps();
    const opened = [];
    for (const key of ['inbound/ooo-1', 'inbound/ooo-2']) opened.push(await deliver(key, inbound()));
    const [resolvedId, closedId] = opened.map((outcome) => (outcome.outcome === 'new_case' ? outcome.caseId : ''));
    const at = new Date(clock.now()).toISOString();
    db.cases.set(resolvedId!, { ...db.cases.get(resolvedId!)!, status: 'resolved', resolvedAt: at, statusChangedAt: at });
    db.cases.set(closedId!, { ...db.cases.get(closedId!)!, status: 'closed', statusChangedAt: at });
    const autoReply = (n: string) =>
      inbound({ subject: `Out of office: Re: [${n}]`, headers: { ...PASS, 'auto-submitted': 'auto-replied' } });

    const toResolved = await deliver('inbound/ooo-3', autoReply('CS-000001'));
    const toClosed = await deliver('inbound/ooo-4', autoReply('CS-000002'));

    expect(toResolved).toMatchObject({ outcome: 'threaded', caseId: resolvedId, reopened: false });
    expect(toClosed).toMatchObject({ outcome: 'threaded', caseId: closedId, reopened: false });
    expect(db.cases.get(resolvedId!)?.status).toBe('resolved');
    expect(db.cases.get(closedId!)?.status).toBe('closed');
    expect(db.cases.size).toBe(2);
    expect(db.timeline.get(resolvedId!)?.map((entry) => entry.action)).not.toContain('case.reopened');
  });

  it('drops automated mail naming a case number that does not exist, opening nothing', async () => {
    const { deliver, db } = intakeDeps();

    const outcome = await deliver(
      'inbound/ooo-unknown',
      inbound({ subject: 'Automatic reply: [CS-000042]', headers: { ...PASS, 'auto-submitted': 'auto-replied' } }),
    );

    expect(outcome).toMatchObject({ outcome: 'dropped' });
    expect(db.cases.size).toBe(0);
  });

  it('sends no acknowledgement to an address that hard-bounced or complained, and still opens the case', async () => {
    const { deliver, mail } = intakeDeps();
    mail.suppressions.set('anna@example.com', { reason: 'bounced', at: '2026-11-01T00:00:00.000Z' });

    const outcome = await deliver('inbound/suppressed', inbound());

    expect(outcome).toMatchObject({
      outcome: 'new_case',
      acknowledged: false,
      acknowledgementWithheld: 'the address bounced for good or complained',
    });
  });

  it('acknowledges at most maxAcknowledgementsPerMinute new cases a minute across all senders, opening every case', async () => {
    const { deliver, clock } = intakeDeps({ maxAcknowledgementsPerMinute: 2 });
    const from = (n: number) => ({ address: `sender${n}@example.com`, name: null });

    const burst = [];
    for (let n = 1; n <= 3; n += 1) burst.push(await deliver(`inbound/burst-${n}`, inbound({ from: from(n) })));
    clock.advance(60 * 1000);
    const nextMinute = await deliver('inbound/burst-4', inbound({ from: from(4) }));

    expect(burst.map((outcome) => outcome.outcome)).toEqual(['new_case', 'new_case', 'new_case']);
    expect(burst.map((outcome) => outcome.outcome === 'new_case' && outcome.acknowledged)).toEqual([true, true, false]);
    expect(burst[2]).toMatchObject({ acknowledgementWithheld: 'the deployment sent 2 acknowledgements this minute' });
    expect(nextMinute).toMatchObject({ acknowledged: true });
  });
});

describe('quarantined mail', () => {
  it('keeps the attachments of mail SES judged spam or infected under quarantine/, the others under attachments/', async () => {
    const { deliver, db, objects } = intakeDeps();

    const spam = await deliver('inbound/q1', inbound({ headers: { 'x-ses-spam-verdict': 'FAIL' }, attachments: [bytes(10)] }));
    const virus = await deliver('inbound/q2', inbound({ headers: { 'x-ses-virus-verdict': 'FAIL' }, attachments: [bytes(11)] }));
    const clean = await deliver('inbound/q3', inbound({ attachments: [bytes(12)] }));

    const keysOf = (outcome: typeof spam) =>
      (db.messages.get(outcome.outcome === 'new_case' ? outcome.caseId : '') ?? []).flatMap((m) => m.attachments.map((a) => a.key));
    expect(keysOf(spam)).toEqual([expect.stringMatching(/^quarantine\/attachments\//)]);
    expect(keysOf(virus)).toEqual([expect.stringMatching(/^quarantine\/attachments\//)]);
    expect(keysOf(clean)).toEqual([expect.stringMatching(/^attachments\//)]);
    expect([...objects.objects.keys()].filter((key) => key.startsWith('quarantine/'))).toHaveLength(2);
  });
});
