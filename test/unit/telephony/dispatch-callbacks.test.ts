import { describe, expect, it } from 'vitest';
import type { Callback, CallbackAttempt } from '#telephony/domain/callback';
import { dispatchCallbacks } from '#telephony/use-cases/dispatch-callbacks';
import { handleContactEvent } from '#telephony/use-cases/handle-contact-event';
import { aCase } from '../../support/builders.js';
import {
  CALLER,
  CUSTOMERS_CONNECT_QUEUE,
  MINUTE,
  NOW,
  aCallback,
  aCallbackAgent,
  aContactEvent,
  aCustomer,
  callbackDeps,
} from '../../support/callback-fakes.js';

const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * MINUTE).toISOString();

/** A due callback with its customer and open case, and one free Polish agent of `customers`. */
function setUp(callback: Partial<Callback> = {}, now = NOW) {
  const fakes = callbackDeps(now);
  fakes.seedCustomer(aCustomer(), aCase({ status: 'open', language: 'pl' }));
  fakes.seedCallback(aCallback(callback));
  fakes.staff.agents = [aCallbackAgent('anna.nowak')];
  return fakes;
}

describe('dispatchCallbacks', () => {
  it('dials a due callback through Connect: the number, the queue’s Connect queue, the idempotency token and the attributes', async () => {
    const { deps, dialler, store, actionsOf } = setUp();

    const report = await dispatchCallbacks(deps);

    expect(report.steps).toEqual([
      { callbackId: 'callback-1', action: 'dialled', attempt: 1, contactId: 'outbound-1', agentId: 'anna.nowak' },
    ]);
    expect(dialler.requests).toEqual([
      {
        phone: CALLER,
        connectQueueId: CUSTOMERS_CONNECT_QUEUE,
        clientToken: 'callback-callback-1-1',
        attributes: { caseId: 'case-1', callbackId: 'callback-1', attempt: '1' },
      },
    ]);
    const dialled = store.callbacks.get('callback-1');
    expect(dialled).toMatchObject({ status: 'dialling', nextAttemptAt: at(60), version: 3 });
    expect(dialled?.attempts).toEqual([
      {
        number: 1,
        claimedAt: NOW,
        dialledAt: NOW,
        contactId: 'outbound-1',
        agentId: 'anna.nowak',
        outcome: 'pending',
        endedAt: null,
        detail: null,
      },
    ]);
    expect(store.dialledContacts.get('outbound-1')).toEqual({ callbackId: 'callback-1', attempt: 1 });
    expect(actionsOf('case-1')).toEqual(['callback.dialled']);
    expect(store.stats.get('2026-11-23T09')?.dialled).toBe(1);
  });

  it('reads nothing but the due index when nothing is due', async () => {
    const { deps, staff, dialler } = setUp({ nextAttemptAt: at(5) });

    const report = await dispatchCallbacks(deps);

    expect(report).toEqual({ at: NOW, due: 0, steps: [] });
    expect(staff.reads).toBe(0);
    expect(dialler.requests).toEqual([]);
  });

  it('does not dial while the queue’s calendar is closed (21:30 in Warsaw), nor read its case, and keeps the callback due', async () => {
    const { deps, db, dialler, store } = setUp({ nextAttemptAt: '2026-11-23T20:00:00.000Z' }, '2026-11-23T20:30:00.000Z');

    const report = await dispatchCallbacks(deps);

    expect(report.steps).toEqual([
      { callbackId: 'callback-1', action: 'skipped', reason: 'queue customers is closed now (calendar warsaw-customer-service)' },
    ]);
    expect(dialler.requests).toEqual([]);
    expect(db.calls.reads).toBe(0);
    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'open', version: 1 });
  });

  it('does not dial without a free agent of the queue who speaks the customer’s language', async () => {
    const { deps, dialler, staff } = setUp({ language: 'de' });
    staff.agents = [
      aCallbackAgent('anna.nowak'),
      aCallbackAgent('lena.schmidt', { skills: [{ skill: 'de', level: 10 }], presence: 'away' }),
      aCallbackAgent('jonas.weber', { skills: [{ skill: 'de', level: 10 }], onContact: true }),
      aCallbackAgent('mia.braun', { skills: [{ skill: 'de', level: 3 }] }),
      aCallbackAgent('karl.vogel', { skills: [{ skill: 'de', level: 10 }], queues: ['stores'] }),
    ];

    const report = await dispatchCallbacks(deps);

    expect(report.steps).toEqual([
      { callbackId: 'callback-1', action: 'skipped', reason: 'no free agent of queue customers speaks de (level ≥ 5)' },
    ]);
    expect(dialler.requests).toEqual([]);
  });

  it('takes the case’s language when the customer has none, and any agent of the queue when neither is known', async () => {
    const known = setUp({ language: null });
    known.staff.agents = [aCallbackAgent('lena.schmidt', { skills: [{ skill: 'de', level: 10 }] })];
    const unknown = setUp({ language: null });
    unknown.db.cases.set('case-1', aCase({ status: 'open', language: null }));
    unknown.staff.agents = [aCallbackAgent('lena.schmidt', { skills: [{ skill: 'de', level: 10 }] })];

    expect((await dispatchCallbacks(known.deps)).steps[0]).toMatchObject({ action: 'skipped' });
    expect((await dispatchCallbacks(unknown.deps)).steps[0]).toMatchObject({ action: 'dialled', agentId: 'lena.schmidt' });
  });

  it('dials VIP callbacks first, then the oldest missed call, one free agent per call', async () => {
    const { deps, seedCallback, dialler, staff } = setUp({ id: 'old-standard', phone: '+48601000001', firstMissedAt: at(-60) });
    seedCallback(aCallback({ id: 'new-vip', phone: '+48601000002', tier: 'vip', priorityRank: 0, firstMissedAt: at(-5) }));
    seedCallback(aCallback({ id: 'newer-standard', phone: '+48601000003', firstMissedAt: at(-30) }));
    staff.agents = [aCallbackAgent('anna.nowak'), aCallbackAgent('ewa.kozlowska')];

    const report = await dispatchCallbacks(deps);

    expect(report.steps.map((step) => [step.callbackId, step.action])).toEqual([
      ['new-vip', 'dialled'],
      ['old-standard', 'dialled'],
      ['newer-standard', 'skipped'],
    ]);
    expect(dialler.requests.map((request) => request.phone)).toEqual(['+48601000002', '+48601000001']);
  });

  it('counts a call already being dialled as holding a free agent', async () => {
    const { deps, seedCallback, dialler } = setUp();
    seedCallback(aCallback({ id: 'in-progress', phone: '+48601000009', status: 'dialling', nextAttemptAt: at(30), attempts: [] }));

    const report = await dispatchCallbacks(deps);

    expect(report.steps).toEqual([
      { callbackId: 'callback-1', action: 'skipped', reason: 'no agent of queue customers is free (available and on no call)' },
    ]);
    expect(dialler.requests).toEqual([]);
  });

  it('loses the claim to a rival dispatcher and dials nothing', async () => {
    const { deps, store, dialler } = setUp();
    store.beforeCommit = () => {
      store.beforeCommit = null;
      const current = store.callbacks.get('callback-1') as Callback;
      store.callbacks.set('callback-1', { ...current, status: 'dialling', version: current.version + 1 });
    };

    const report = await dispatchCallbacks(deps);

    expect(report.steps).toEqual([{ callbackId: 'callback-1', action: 'taken' }]);
    expect(dialler.requests).toEqual([]);
  });

  it('cancels instead of dialling when the case was resolved meanwhile', async () => {
    const { deps, db, store, dialler, actionsOf } = setUp();
    db.cases.set('case-1', aCase({ status: 'resolved' }));

    const report = await dispatchCallbacks(deps);

    expect(report.steps).toEqual([{ callbackId: 'callback-1', action: 'cancelled', reason: 'case CS-000001 is resolved' }]);
    expect(store.callbacks.get('callback-1')).toMatchObject({
      status: 'cancelled',
      endReason: 'case_closed: case CS-000001 is resolved',
      nextAttemptAt: null,
    });
    expect(store.guards.has(CALLER)).toBe(false);
    expect(actionsOf('case-1')).toEqual(['callback.cancelled']);
    expect(dialler.requests).toEqual([]);
  });

  it('opens the callback again in a minute, under the same attempt number, when the dial fails for a passing reason', async () => {
    const { deps, dialler, store, clock } = setUp();
    dialler.answers.push(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    const first = await dispatchCallbacks(deps);

    expect(first.steps).toEqual([{ callbackId: 'callback-1', action: 'error', error: 'ThrottlingException: Rate exceeded' }]);
    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'open', nextAttemptAt: at(1) });
    expect(store.callbacks.get('callback-1')?.attempts[0]).toMatchObject({ number: 1, outcome: 'error' });

    clock.advance(MINUTE);
    const second = await dispatchCallbacks(deps);

    expect(second.steps[0]).toMatchObject({ action: 'dialled', attempt: 1 });
    expect(dialler.requests.map((request) => request.clientToken)).toEqual(['callback-callback-1-1', 'callback-callback-1-1']);
  });

  it('fails the callback when Connect refuses its last attempt: a note, and the customer mailed', async () => {
    const ended = (number: number): CallbackAttempt => ({
      number,
      claimedAt: at(-40),
      dialledAt: at(-40),
      contactId: `outbound-${number}`,
      agentId: null,
      outcome: 'no_answer',
      endedAt: at(-39),
      detail: null,
    });
    const { deps, dialler, store, db, actionsOf } = setUp({ attempts: [ended(1), ended(2)] });
    dialler.answers.push({
      kind: 'refused',
      reason: 'DestinationNotAllowedException: Outbound calls to the destination number are not allowed.',
    });

    const report = await dispatchCallbacks(deps);

    expect(report.steps[0]).toMatchObject({ action: 'failed' });
    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'failed' });
    expect(store.callbacks.get('callback-1')?.attempts.map((attempt) => attempt.outcome)).toEqual(['no_answer', 'no_answer', 'refused']);
    expect(actionsOf('case-1')).toEqual(['callback.failed', 'note.added']);
    expect(db.messages.get('case-1')).toHaveLength(1);
  });

  it('repeats the dial of a claim that lapsed before Connect’s contact was recorded, under the same token and without the gates', async () => {
    const claimed: CallbackAttempt = {
      number: 1,
      claimedAt: at(-3),
      dialledAt: null,
      contactId: null,
      agentId: 'anna.nowak',
      outcome: 'pending',
      endedAt: null,
      detail: null,
    };
    const { deps, dialler, store, staff } = setUp({ status: 'dialling', attempts: [claimed], nextAttemptAt: at(-1) });
    staff.agents = [];

    const report = await dispatchCallbacks(deps);

    expect(report.steps).toEqual([
      { callbackId: 'callback-1', action: 'dialled', attempt: 1, contactId: 'outbound-1', agentId: 'anna.nowak' },
    ]);
    expect(dialler.requests[0]?.clientToken).toBe('callback-callback-1-1');
    expect(store.callbacks.get('callback-1')?.attempts).toHaveLength(1);
  });

  it('counts a dial whose outcome never came as unanswered and schedules the retry', async () => {
    const silent: CallbackAttempt = {
      number: 1,
      claimedAt: at(-61),
      dialledAt: at(-61),
      contactId: 'outbound-1',
      agentId: 'anna.nowak',
      outcome: 'pending',
      endedAt: null,
      detail: null,
    };
    const { deps, dialler, store } = setUp({ status: 'dialling', attempts: [silent], nextAttemptAt: at(-1) });

    const report = await dispatchCallbacks(deps);

    expect(report.steps).toEqual([
      { callbackId: 'callback-1', action: 'retry_scheduled', reason: 'no outcome of contact outbound-1 within 60 minutes' },
    ]);
    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'open', nextAttemptAt: at(15) });
    expect(dialler.requests).toEqual([]);
  });

  it('retries an unanswered callback after the delay, and after the third unanswered dial fails it, noting and mailing once', async () => {
    const { deps, dialler, store, db, clock, actionsOf } = setUp();
    const unansweredEnd = (contactId: string, attempt: number) =>
      aContactEvent({
        eventId: `end-${contactId}`,
        contactId,
        initiationMethod: 'API',
        queue: null,
        attributes: { callbackId: 'callback-1', attempt: String(attempt) },
        disconnectAt: new Date(clock.now()).toISOString(),
      });

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const run = await dispatchCallbacks(deps);
      expect(run.steps[0]).toMatchObject({ action: 'dialled', attempt });
      clock.advance(MINUTE);
      await handleContactEvent(deps, { event: unansweredEnd(`outbound-${dialler.requests.length}`, attempt) });
      if (attempt < 3) {
        expect((await dispatchCallbacks(deps)).due).toBe(0);
        clock.advance(15 * MINUTE);
      }
    }

    expect(dialler.requests.map((request) => request.clientToken)).toEqual([
      'callback-callback-1-1',
      'callback-callback-1-2',
      'callback-callback-1-3',
    ]);
    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'failed', nextAttemptAt: null });
    expect(actionsOf('case-1')).toEqual([
      'callback.dialled',
      'callback.attempt_failed',
      'callback.dialled',
      'callback.attempt_failed',
      'callback.dialled',
      'callback.failed',
      'note.added',
    ]);
    expect(db.notes.get('case-1')).toHaveLength(1);
    expect(db.messages.get('case-1')).toHaveLength(1);
    expect((await dispatchCallbacks(deps)).due).toBe(0);
  });
});
