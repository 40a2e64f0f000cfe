import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiUrl, call, newCaseBody, uniqueEmail } from '../support/api-client.js';
import { ALWAYS_OPEN, abandonedCall, connectFixture, uniquePhone } from '../support/connect-events.js';

/**
 * Missed calls and callbacks end to end, through the local runtime: Connect's contact events go in
 * through `POST /local/connect/contact-events` (the template's EventBridge rule hands them to the
 * contact-events function), the callback schedule runs the dispatcher (every minute), which dials
 * through the local Connect stand-in (`GET /local/connect/outbound` lists its calls, `POST
 * /local/connect/outbound/{contactId}` ends one and publishes the call's contact events).
 *
 * The callbacks here are on the `other` queue, whose calendar (`warsaw-office`) is opened around the
 * clock for the duration of the file and restored after, so the test does not depend on the hour
 * it runs at; two members of staff who serve only `other` are made available for them (with a
 * budget too small for routed work, so routing leaves them alone).
 */

const flowFixture = connectFixture('contact-flow-event.json');
const DISPATCH_WAIT_MS = 90_000;

async function local(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${apiUrl()}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function deliver(events: unknown): Promise<void> {
  const report = await local('POST', '/local/connect/contact-events', events);
  expect(report.status).toBe(200);
  expect(report.body.failed).toEqual([]);
  expect(report.body.unmatched).toBe(0);
}

/** The callback of a phone number, from the supervisors' list (newest first). */
async function callbackOf(phone: string): Promise<any> {
  const listed = await call('GET', '/callbacks?limit=100', { as: 'supervisor-1' });
  expect(listed.status).toBe(200);
  return listed.body.items.find((callback: any) => callback.phone === phone) ?? null;
}

async function eventually<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = DISPATCH_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((done) => setTimeout(done, 1000));
  }
}

/** The Connect stand-in's call to a number. */
async function outboundCallTo(phone: string): Promise<any> {
  return eventually(`an outbound call to ${phone}`, async () => {
    const listed = await local('GET', '/local/connect/outbound');
    return listed.body.calls.find((candidate: any) => candidate.request.DestinationPhoneNumber === phone);
  });
}

async function timelineActions(caseId: string): Promise<string[]> {
  // Callback cases are in the `other` queue, which the default caller (an agent) does not serve.
  const timeline = await call('GET', `/cases/${caseId}/timeline?limit=100`, { as: 'supervisor-1' });
  return timeline.body.items.map((entry: any) => entry.action);
}

const suffix = Date.now().toString(36);
const AGENTS = [`callback-a-${suffix}`, `callback-b-${suffix}`];
let restoreCalendar: (() => Promise<void>) | null = null;

beforeAll(async () => {
  const calendar = await call('GET', '/sla/calendars/warsaw-office', { as: 'admin' });
  expect(calendar.status).toBe(200);
  const { name: _name, ...original } = calendar.body.value;
  const opened = await call('PUT', '/sla/calendars/warsaw-office', {
    as: 'admin',
    body: { ...original, weekly: ALWAYS_OPEN, holidays: [], version: calendar.body.version },
  });
  expect(opened.status).toBe(200);
  restoreCalendar = async () => {
    await call('PUT', '/sla/calendars/warsaw-office', { as: 'admin', body: { ...original, version: opened.body.version } });
  };
  for (const id of AGENTS) {
    // A budget too small for any routed work (an email weighs 20): routing never offers them the
    // test's cases, so no offer lapses and sets them away. Callbacks do not use the budget.
    const put = await call('PUT', `/agents/${id}`, {
      as: 'admin',
      body: {
        name: `Callback tester ${id}`,
        email: `${id}@switchboard.local`,
        roles: ['agents'],
        skills: [{ skill: 'pl', level: 9 }],
        queues: ['other'],
        capacity: 10,
      },
    });
    expect(put.status).toBe(200);
    expect((await call('PUT', `/agents/${id}/presence`, { as: 'supervisor-1', body: { status: 'available' } })).status).toBe(200);
  }
});

afterAll(async () => {
  for (const id of AGENTS) await call('PUT', `/agents/${id}/presence`, { as: 'supervisor-1', body: { status: 'offline' } });
  await restoreCalendar?.();
});

describe('missed calls and callbacks', () => {
  const answered = uniquePhone();
  const unanswered = uniquePhone();
  const stranger = uniquePhone();
  let caseId = '';

  /** A customer with this phone and their open case in `other`, over the API. */
  async function caseInOther(phone: string): Promise<string> {
    const created = await call('POST', '/cases', {
      body: newCaseBody({
        channel: 'phone',
        queue: 'other',
        language: 'pl',
        customer: { email: uniqueEmail('callback'), phone, name: 'Ewa Oddzwoń' },
      }),
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('records a missed call of a call the flow linked: a callback on the linked case, once per number and per event', async () => {
    caseId = await caseInOther(answered);
    // The flow ran open-or-link-case for the call, then the caller hung up in the queue.
    const first = randomUUID();
    const flowEvent = structuredClone(flowFixture);
    Object.assign(flowEvent.Details.ContactData, { ContactId: first, InitialContactId: first, PreviousContactId: first });
    flowEvent.Details.ContactData.CustomerEndpoint.Address = answered;
    expect((await local('POST', '/local/connect/open-or-link-case', flowEvent)).body).toMatchObject({ caseId });

    // Connect's DISCONNECTED event carries no caller number: the linked case's customer gives it.
    const missed = abandonedCall(first, null);
    await deliver(missed);
    await deliver(missed);

    const callback = await callbackOf(answered);
    expect(callback).toMatchObject({
      status: 'open',
      caseId,
      queue: 'other',
      language: 'pl',
      missedCount: 1,
      missedContactIds: [first],
      attempts: [],
    });

    await deliver(abandonedCall(randomUUID(), answered));
    expect(await callbackOf(answered)).toMatchObject({ id: callback.id, missedCount: 2 });
    expect((await timelineActions(caseId)).filter((action) => action === 'call.missed')).toHaveLength(2);

    // A caller with an open case and no flow link: the callback follows that case.
    const unansweredCase = await caseInOther(unanswered);
    await deliver(abandonedCall(randomUUID(), unanswered));
    expect(await callbackOf(unanswered)).toMatchObject({ status: 'open', caseId: unansweredCase, queue: 'other', missedCount: 1 });
  });

  it('opens a phone case for a number nobody owns, and cancels the callback once that case is closed', async () => {
    await deliver(abandonedCall(randomUUID(), stranger));
    const callback = await callbackOf(stranger);
    expect(callback).toMatchObject({ status: 'open', missedCount: 1 });
    const opened = await call('GET', `/cases/${callback.caseId}`, { as: 'supervisor-1' });
    expect(opened.body).toMatchObject({ subject: `Missed call from ${stranger}`, channel: 'phone', createdBy: 'callbacks', status: 'new' });

    const closed = await call('PATCH', `/cases/${callback.caseId}`, {
      as: 'supervisor-1',
      body: { status: 'closed', version: opened.body.version },
    });
    expect(closed.status).toBe(200);
    // Closing the case cancels its open callback in the same transaction, at any hour: nobody waits
    // for the dispatcher (which runs only while the queue is open) to find the case closed.
    expect(await callbackOf(stranger)).toMatchObject({
      status: 'cancelled',
      attempts: [],
      nextAttemptAt: null,
      endReason: expect.stringContaining('case_closed'),
    });
    expect(await timelineActions(callback.caseId)).toContain('callback.cancelled');
  });

  it('dials each callback through Connect when an agent of its queue is free, and records the outcomes', async () => {
    const callback = await callbackOf(answered);
    const dialled = await outboundCallTo(answered);
    expect(dialled.request).toMatchObject({
      InstanceId: '00000000-0000-4000-8000-00000000c0de',
      ContactFlowId: 'local-callback-flow',
      QueueId: 'local-queue-other',
      DestinationPhoneNumber: answered,
      Attributes: { caseId, callbackId: callback.id, attempt: '1' },
      ClientToken: `callback-${callback.id}-1`,
    });
    const dialling = await eventually('the attempt recorded', async () => {
      const current = await callbackOf(answered);
      return current?.attempts[0]?.contactId ? current : null;
    });
    expect(dialling).toMatchObject({ status: 'dialling', attempts: [{ number: 1, contactId: dialled.contactId, outcome: 'pending' }] });

    const ended = await local('POST', `/local/connect/outbound/${dialled.contactId}`, {
      outcome: 'answered',
      agentId: 'local-agent-1',
      talkSeconds: 42,
    });
    expect(ended.status).toBe(200);
    expect(await callbackOf(answered)).toMatchObject({ status: 'reached', nextAttemptAt: null, attempts: [{ outcome: 'reached' }] });
    expect(await timelineActions(caseId)).toEqual(expect.arrayContaining(['callback.dialled', 'callback.reached', 'call.completed']));

    const notAnswered = await outboundCallTo(unanswered);
    await eventually('the second attempt recorded', async () => ((await callbackOf(unanswered))?.attempts[0]?.contactId ? true : null));
    expect((await local('POST', `/local/connect/outbound/${notAnswered.contactId}`, { outcome: 'no_answer' })).status).toBe(200);
    const retried = await callbackOf(unanswered);
    expect(retried).toMatchObject({ status: 'open', attempts: [{ number: 1, outcome: 'no_answer' }] });
    // Retried after CALLBACK_RETRY_MINUTES (15 by default).
    expect(Date.parse(retried.nextAttemptAt) - Date.now()).toBeGreaterThan(13 * 60_000);

    const reached = await call('GET', '/callbacks?status=reached&limit=100', { as: 'supervisor-1' });
    expect(reached.body.items.map((item: any) => item.id)).toContain(callback.id);
  }, 240_000);

  it('reports missed calls per hour with what became of them', async () => {
    const today = new Date().toISOString().slice(0, 10);

    const report = await call('GET', `/reports/missed-calls?from=${today}&to=${today}`, { as: 'supervisor-1' });

    expect(report.status).toBe(200);
    expect(report.body.hours).toHaveLength(24);
    // The shared backend may hold other tests' calls: at least ours.
    expect(report.body.totals.missed).toBeGreaterThanOrEqual(4);
    expect(report.body.totals.dialled).toBeGreaterThanOrEqual(2);
    expect(report.body.totals.reached).toBeGreaterThanOrEqual(1);
  });

  it('answers 400 with the field for a report over 31 days, and 403 to agents', async () => {
    const tooLong = await call('GET', '/reports/missed-calls?from=2026-01-01&to=2026-03-01', { as: 'supervisor-1' });
    const byAgent = await call('GET', '/callbacks', { as: 'anna.nowak' });

    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.fields).toEqual([{ path: 'query.to', message: 'the range may span at most 31 days' }]);
    expect(byAgent.status).toBe(403);
  });
});
