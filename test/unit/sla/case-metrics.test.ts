import { describe, expect, it } from 'vitest';
import { InMemoryMailObjects, InMemoryMailStore } from '../../support/memory/in-memory-mail-store.js';
import type { Case } from '#cases/domain/case';
import { caseMetrics, transition } from '#cases/domain/transition';
import { DEFAULT_CLASSIFICATION_RULES } from '#email/domain/classification';
import type { InboundMail } from '#email/domain/inbound-mail';
import type { EmailDeps } from '#email/use-cases/deps';
import { receiveEmail } from '#email/use-cases/receive-email';
import { replyToCase } from '#email/use-cases/reply-to-case';
import { updateCase } from '#cases/use-cases/update-case';
import { aCase, agentActor, memoryDeps, supervisorActor } from '../../support/builders.js';
import { FakeClock } from '../../support/fakes.js';
import { CREATED_AT, ms } from '../../support/sla-fakes.js';
import { DEMO_MAIL_SETTINGS } from '../../support/demo-settings.js';

const MINUTE = 60_000;

/** Applies lifecycle events one after another, each `minutes` after the previous one. */
function lived(start: Case, steps: [minutes: number, event: Parameters<typeof transition>[1]][]): { c: Case; clock: FakeClock } {
  const clock = new FakeClock(ms(start.statusChangedAt));
  let c = start;
  for (const [minutes, event] of steps) {
    clock.advance(minutes * MINUTE);
    c = transition(c, event, clock);
  }
  return { c, clock };
}

describe('transition: time with the team and with the customer', () => {
  it('adds each finished status interval to the team’s or the customer’s seconds', () => {
    // new 10 min → open 20 min → pending 60 min → open 5 min → on_hold 30 min → resolved.
    const { c } = lived(aCase(), [
      [10, 'open'],
      [20, 'wait_on_customer'],
      [60, 'resume'],
      [5, 'hold'],
      [30, 'resolve'],
    ]);

    expect(c.status).toBe('resolved');
    expect(c.metrics.teamSeconds).toBe((10 + 20 + 5 + 30) * 60);
    expect(c.metrics.customerSeconds).toBe(60 * 60);
  });

  it('counts the time a case spends resolved or quarantined for neither side', () => {
    const { c } = lived(aCase({ status: 'quarantined' }), [
      [15, 'release'],
      [10, 'resolve'],
      [120, 'reopen'],
    ]);

    expect(c.metrics).toMatchObject({ teamSeconds: 10 * 60, customerSeconds: 0 });
    expect(c.reopenCount).toBe(1);
  });

  it('leaves the other figures alone', () => {
    const start = aCase({
      metrics: {
        firstAssignedAt: '2026-11-23T08:01:00.000Z',
        firstAcceptedAt: '2026-11-23T08:02:00.000Z',
        lastResponseAt: null,
        teamSeconds: 5,
        customerSeconds: 7,
      },
    });

    const { c } = lived(start, [[1, 'open']]);

    expect(c.metrics).toEqual({
      firstAssignedAt: '2026-11-23T08:01:00.000Z',
      firstAcceptedAt: '2026-11-23T08:02:00.000Z',
      lastResponseAt: null,
      teamSeconds: 65,
      customerSeconds: 7,
    });
  });
});

describe('caseMetrics', () => {
  it('adds the interval in progress and derives the times from creation', () => {
    // Arrange: offered at 08:02, accepted at 08:05, answered at 08:30, pending since 08:30, resolved later.
    const { c: pending } = lived(aCase(), [
      [5, 'open'],
      [25, 'wait_on_customer'],
    ]);
    const c: Case = {
      ...pending,
      firstResponseAt: '2026-11-23T08:30:00.000Z',
      metrics: {
        ...pending.metrics,
        firstAssignedAt: '2026-11-23T08:02:00.000Z',
        firstAcceptedAt: '2026-11-23T08:05:00.000Z',
        lastResponseAt: '2026-11-23T08:30:00.000Z',
      },
    };

    // Act: 45 minutes into the pending interval.
    const metrics = caseMetrics(c, ms('2026-11-23T09:15:00.000Z'));

    // Assess
    expect(metrics).toEqual({
      createdAt: CREATED_AT,
      firstAssignedAt: '2026-11-23T08:02:00.000Z',
      firstAcceptedAt: '2026-11-23T08:05:00.000Z',
      secondsToAccept: 180,
      firstResponseAt: '2026-11-23T08:30:00.000Z',
      secondsToFirstResponse: 1800,
      lastResponseAt: '2026-11-23T08:30:00.000Z',
      resolvedAt: null,
      secondsToResolution: null,
      reopenCount: 0,
      secondsWithTeam: 30 * 60,
      secondsWithCustomer: 45 * 60,
    });
    // The stored figures are not changed by reading them.
    expect(c.metrics.customerSeconds).toBe(0);
  });

  it('has no derived times before the events happen', () => {
    const metrics = caseMetrics(aCase(), ms('2026-11-23T08:10:00.000Z'));

    expect(metrics).toMatchObject({
      secondsToAccept: null,
      secondsToFirstResponse: null,
      secondsToResolution: null,
      secondsWithTeam: 600,
      secondsWithCustomer: 0,
    });
  });
});

describe('updateCase: a supervisor’s assignment', () => {
  it('is the first assignment and acceptance when routing made none; a later one changes neither', async () => {
    const deps = memoryDeps();
    deps.db.cases.set('case-1', aCase());
    deps.db.timeline.set('case-1', []);

    await updateCase(deps, { id: 'case-1', expectedVersion: 1, changes: { assigneeId: 'agent-07' } }, supervisorActor);
    deps.clock.advance(10 * MINUTE);
    const reassigned = await updateCase(deps, { id: 'case-1', expectedVersion: 2, changes: { assigneeId: 'agent-08' } }, supervisorActor);

    expect(reassigned.assigneeId).toBe('agent-08');
    expect(reassigned.metrics).toMatchObject({ firstAssignedAt: '2026-11-23T09:00:00.000Z', firstAcceptedAt: '2026-11-23T09:00:00.000Z' });
  });
});

/** The email use cases in memory with one stored case, as the agent sees it. */
function mailScene(c: Case) {
  const base = memoryDeps();
  const mail = new InMemoryMailStore(base.db, () => base.clock.now());
  const objects = new InMemoryMailObjects();
  const parsed = new Map<string, InboundMail>();
  const deps: EmailDeps = {
    ...base,
    mail,
    objects,
    parser: { parse: async (raw) => parsed.get(new TextDecoder().decode(raw)) as InboundMail },
    language: { detect: () => 'en' },
    mailSettings: DEMO_MAIL_SETTINGS,
    rules: DEFAULT_CLASSIFICATION_RULES,
  };
  base.db.cases.set(c.id, structuredClone(c));
  base.db.timeline.set(c.id, []);
  const deliver = async (key: string, inbound: InboundMail) => {
    parsed.set(key, inbound);
    objects.objects.set(key, { content: new TextEncoder().encode(key), contentType: 'message/rfc822' });
    return receiveEmail(deps, { rawKey: key });
  };
  return { deps, db: base.db, clock: base.clock, deliver };
}

function customerReply(inReplyTo: string, overrides: Partial<InboundMail> = {}): InboundMail {
  return {
    messageId: '<answer-1@example.pl>',
    inReplyTo: [inReplyTo],
    references: [inReplyTo],
    from: { address: 'anna@example.pl', name: 'Anna' },
    fromAsWritten: null,
    replyTo: [],
    to: [{ address: 'support@switchboard.local', name: null }],
    cc: [],
    deliveredTo: [],
    subject: 'Re: [CS-000001] Subject',
    date: null,
    text: 'The order number is 1234.',
    html: null,
    headers: {},
    attachments: [],
    deliveryReport: null,
    ...overrides,
  };
}

describe('replies and the response clocks', () => {
  it('an agent’s reply stamps the first and the last response and clears the waiting stamp', async () => {
    // Arrange: the fake clock stands at 09:00 UTC; the case waits since its creation at 08:00.
    const { deps, db } = mailScene(aCase());

    // Act
    await replyToCase(deps, { caseId: 'case-1', body: 'We are on it.' }, agentActor);

    // Assess
    expect(db.cases.get('case-1')).toMatchObject({
      status: 'open',
      firstResponseAt: '2026-11-23T09:00:00.000Z',
      awaitingResponseSince: null,
      metrics: { lastResponseAt: '2026-11-23T09:00:00.000Z', teamSeconds: 3600, customerSeconds: 0 },
      version: 2,
    });
  });

  it('a later reply moves the last response but keeps the first', async () => {
    const { deps, db, clock } = mailScene(aCase());
    await replyToCase(deps, { caseId: 'case-1', body: 'We are on it.' }, agentActor);
    clock.advance(30 * MINUTE);

    await replyToCase(deps, { caseId: 'case-1', body: 'Found it.', awaitCustomer: true }, agentActor);

    expect(db.cases.get('case-1')).toMatchObject({
      status: 'pending',
      firstResponseAt: '2026-11-23T09:00:00.000Z',
      awaitingResponseSince: null,
      metrics: { lastResponseAt: '2026-11-23T09:30:00.000Z', teamSeconds: 3600 + 1800 },
    });
  });

  it('a customer’s reply to a pending case resumes it and stamps the waiting time; an auto-reply does neither', async () => {
    // Arrange: the agent answered at 09:00 and waits on the customer.
    const { deps, db, clock, deliver } = mailScene(aCase());
    const reply = await replyToCase(deps, { caseId: 'case-1', body: 'Which order?', awaitCustomer: true }, agentActor);
    clock.advance(20 * MINUTE);

    // Act
    await deliver(
      'raw/auto',
      customerReply(reply.messageId, {
        messageId: '<ooo@example.pl>',
        headers: { 'auto-submitted': 'auto-replied' },
        subject: 'Out of office',
      }),
    );
    const afterAutoReply = structuredClone(db.cases.get('case-1'));
    clock.advance(40 * MINUTE);
    await deliver('raw/person', customerReply(reply.messageId));

    // Assess
    expect(afterAutoReply).toMatchObject({ status: 'pending', awaitingResponseSince: null });
    expect((db.messages.get('case-1') ?? []).map((message) => [message.direction, message.messageId])).toEqual([
      ['outbound', reply.messageId],
      ['inbound', '<ooo@example.pl>'],
      ['inbound', '<answer-1@example.pl>'],
    ]);
    expect(db.cases.get('case-1')).toMatchObject({
      status: 'open',
      awaitingResponseSince: '2026-11-23T10:00:00.000Z',
      metrics: { customerSeconds: 3600 },
    });
    expect((db.timeline.get('case-1') ?? []).map((entry) => entry.action)).toContain('case.resumed');
  });
});
