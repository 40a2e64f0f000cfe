import { describe, expect, it } from 'vitest';
import { handleContactEvent } from '#telephony/use-cases/handle-contact-event';
import { recordMissedCall } from '#telephony/use-cases/record-missed-call';
import { aCase } from '../../support/builders.js';
import { CALLER, NOW, aCallback, aContactEvent, aCustomer, callbackDeps } from '../../support/callback-fakes.js';

const noFacts = { linkedCase: null, dialled: null, handled: false };

describe('recordMissedCall', () => {
  it('for an unknown number: a new customer, a phone case opened by the callbacks actor, and a callback due at once', async () => {
    const { deps, db, store, actionsOf } = callbackDeps();

    const result = await recordMissedCall(deps, { event: aContactEvent(), facts: noFacts });

    expect(result).toMatchObject({ outcome: 'callback_created', caseCreated: true });
    const c = db.cases.get(result.caseId as string);
    expect(c).toMatchObject({
      subject: `Missed call from ${CALLER}`,
      channel: 'phone',
      queue: 'customers',
      createdBy: 'callbacks',
      customFields: { connectContactId: 'contact-1' },
    });
    expect(db.customers.get(c?.customerId as string)?.identities).toEqual([{ type: 'phone', value: CALLER }]);
    expect(store.callbacks.get(result.callbackId as string)).toMatchObject({
      status: 'open',
      phone: CALLER,
      caseId: c?.id,
      tier: 'standard',
      priorityRank: 1,
      missedCount: 1,
      firstMissedAt: '2026-11-23T08:55:00.000Z',
      nextAttemptAt: NOW,
      missedContactIds: ['contact-1'],
    });
    expect(store.guards.get(CALLER)).toBe(result.callbackId);
    expect(actionsOf(c?.id as string)).toEqual(['case.created', 'call.missed']);
    expect(store.stats.get('2026-11-23T08')).toEqual({ missed: 1, dialled: 0, reached: 0, failed: 0 });
  });

  it('follows the caller’s open case, in the customer’s language; a VIP’s callback ranks first', async () => {
    const { deps, seedCustomer, store, db } = callbackDeps();
    seedCustomer(
      aCustomer({ tier: 'vip', preferredLanguage: 'de' }),
      aCase({ id: 'case-7', number: 'CS-000007', status: 'pending', language: 'pl', queue: 'stores' }),
    );

    const result = await recordMissedCall(deps, { event: aContactEvent(), facts: noFacts });

    expect(result).toMatchObject({ outcome: 'callback_created', caseId: 'case-7', caseCreated: false });
    expect(store.callbacks.get(result.callbackId as string)).toMatchObject({
      customerId: 'customer-1',
      queue: 'stores',
      language: 'de',
      tier: 'vip',
      priorityRank: 0,
    });
    expect(db.cases.size).toBe(1);
    const missed = db.timeline.get('case-7')?.find((entry) => entry.action === 'call.missed');
    expect(missed?.data).toMatchObject({
      contactId: 'contact-1',
      phone: CALLER,
      missedCount: 1,
      inQueueSeconds: 240,
      totalSeconds: 300,
      disconnectReason: 'CUSTOMER_DISCONNECT',
    });
  });

  it('follows the case the contact flow linked the call to, even when the caller has a newer open case', async () => {
    const { deps, seedCustomer, store } = callbackDeps();
    seedCustomer(
      aCustomer(),
      aCase({ id: 'case-1', number: 'CS-000001', status: 'open' }),
      aCase({ id: 'case-2', number: 'CS-000002', status: 'open' }),
    );

    const result = await recordMissedCall(deps, {
      event: aContactEvent(),
      facts: { ...noFacts, linkedCase: { caseId: 'case-1', customerId: 'customer-1' } },
    });

    expect(store.callbacks.get(result.callbackId as string)?.caseId).toBe('case-1');
  });

  it('learns the number from the linked case’s customer when the event carries none', async () => {
    const { deps, seedCustomer, store } = callbackDeps();
    seedCustomer(aCustomer(), aCase({ status: 'open' }));

    const result = await recordMissedCall(deps, {
      event: aContactEvent({ customerAddress: null }),
      facts: { ...noFacts, linkedCase: { caseId: 'case-1', customerId: 'customer-1' } },
    });

    expect(result.outcome).toBe('callback_created');
    expect(store.callbacks.get(result.callbackId as string)?.phone).toBe(CALLER);
  });

  it('counts a second missed call into the number’s open callback, never a second callback; its place in line is kept', async () => {
    const { deps, seedCustomer, seedCallback, store } = callbackDeps();
    seedCustomer(aCustomer(), aCase({ status: 'open' }));
    seedCallback(aCallback({ nextAttemptAt: '2026-11-23T09:10:00.000Z' }));

    const result = await recordMissedCall(deps, {
      event: aContactEvent({ contactId: 'contact-2', disconnectAt: '2026-11-23T08:59:00.000Z' }),
      facts: noFacts,
    });

    expect(result).toMatchObject({ outcome: 'callback_updated', callbackId: 'callback-1' });
    expect(store.callbacks.size).toBe(1);
    expect(store.callbacks.get('callback-1')).toMatchObject({
      missedCount: 2,
      firstMissedAt: '2026-11-23T08:55:00.000Z',
      lastMissedAt: '2026-11-23T08:59:00.000Z',
      missedContactIds: ['missed-contact-1', 'contact-2'],
      nextAttemptAt: '2026-11-23T09:10:00.000Z',
      version: 2,
    });
  });

  it('moves the open callback to a case still open when its own case was resolved meanwhile', async () => {
    const { deps, seedCustomer, seedCallback, store, db } = callbackDeps();
    seedCustomer(aCustomer(), aCase({ id: 'case-1', status: 'resolved' }));
    seedCallback();

    const result = await recordMissedCall(deps, { event: aContactEvent({ contactId: 'contact-2' }), facts: noFacts });

    const moved = store.callbacks.get('callback-1');
    expect(moved?.caseId).not.toBe('case-1');
    expect(db.cases.get(moved?.caseId as string)?.subject).toBe(`Missed call from ${CALLER}`);
    expect(result).toMatchObject({ outcome: 'callback_updated', caseCreated: true });
  });

  it('changes nothing for a redelivered event', async () => {
    const { deps, store, db } = callbackDeps();
    const event = aContactEvent();
    await handleContactEvent(deps, { event });

    const again = await handleContactEvent(deps, { event });

    expect(again).toEqual({ handledAs: 'duplicate' });
    expect(store.callbacks.size).toBe(1);
    expect(db.cases.size).toBe(1);
    expect(store.stats.get('2026-11-23T08')?.missed).toBe(1);
  });

  it('makes one callback of two missed calls of the same number handled at once: the second, losing the guard, counts itself in', async () => {
    const { deps, store, db } = callbackDeps();
    store.beforeCommit = async (commit) => {
      if (commit.guard?.action !== 'claim') return;
      store.beforeCommit = null;
      // The rival handled another call from the number between our read and our commit.
      await recordMissedCall(deps, { event: aContactEvent({ contactId: 'rival', eventId: 'rival-event' }), facts: noFacts });
    };

    const result = await recordMissedCall(deps, { event: aContactEvent(), facts: noFacts });

    expect(result.outcome).toBe('callback_updated');
    expect(store.calls.failedCommits).toBe(1);
    expect(store.callbacks.size).toBe(1);
    expect([...store.callbacks.values()][0]).toMatchObject({ missedCount: 2, missedContactIds: ['rival', 'contact-1'] });
    expect(store.guards.size).toBe(1);
    expect(db.cases.size).toBe(1);
  });

  it('counts a missed call from a withheld number with no case to learn it from, and promises nothing', async () => {
    const { deps, store } = callbackDeps();

    const result = await recordMissedCall(deps, { event: aContactEvent({ customerAddress: 'anonymous' }), facts: noFacts });

    expect(result.outcome).toBe('unknown_caller');
    expect(store.callbacks.size).toBe(0);
    expect(store.stats.get('2026-11-23T08')?.missed).toBe(1);
    expect(store.handled.get('contact-1#DISCONNECTED')?.outcome).toBe('missed_call_unknown_caller');
  });

  it('opens the new case in the queue mapped from the Connect queue, the default queue when none maps', async () => {
    const { deps, db } = callbackDeps();
    const storesQueue = deps.settings.connectQueueIds.stores as string;

    const mapped = await recordMissedCall(deps, {
      event: aContactEvent({ queue: { arn: `x/queue/${storesQueue}`, connectQueueId: storesQueue, enqueuedAt: null } }),
      facts: noFacts,
    });
    const unmapped = await recordMissedCall(deps, {
      event: aContactEvent({ contactId: 'c-2', customerAddress: '+48601000002', queue: null }),
      facts: noFacts,
    });

    expect(db.cases.get(mapped.caseId as string)?.queue).toBe('stores');
    expect(db.cases.get(unmapped.caseId as string)?.queue).toBe('customers');
  });
});
