import { describe, expect, it } from 'vitest';
import { InMemoryRoutingStore } from '../../support/memory/in-memory-routing-store.js';
import type { RoutingDecision } from '#routing/domain/choose-agent';
import type { Reservation } from '#routing/domain/routing-ports';
import { anAgent, anOffer, aWorkItem, aWorkRecord, NOW, secondsAgo } from '../../support/routing-builders.js';

/*
 * The fake must keep the DynamoDB adapter's conditions, or the use-case tests prove nothing about
 * races: these pin the claims the use cases rely on.
 */

const at = new Date(NOW).toISOString();
const decision: RoutingDecision = {
  itemId: 'case-1',
  caseId: 'case-1',
  at,
  step: { index: 0, afterSeconds: 0, requirements: [] },
  waitedSeconds: 0,
  candidates: [],
  winner: null,
  reason: 'test',
};

function reservation(overrides: Partial<Reservation> = {}): Reservation {
  return {
    agentId: 'ala',
    workId: 'case-1',
    weight: 20,
    capacity: 100,
    offerId: 'offer-1',
    at,
    offerExpiresAt: new Date(NOW + 30_000).toISOString(),
    decision,
    seen: { caseVersion: 1, declines: 0, queue: 'customers', priority: 'normal' },
    ...overrides,
  };
}

function storeWith(load = 0) {
  const store = new InMemoryRoutingStore();
  store.addStaff(anAgent('ala'), { load });
  store.addStaff(anAgent('bea'));
  store.putWork(aWorkRecord());
  return store;
}

describe('InMemoryRoutingStore', () => {
  it('never lets a reservation take an agent past capacity, nor one whose capacity or presence changed', async () => {
    const full = storeWith(90);
    const changed = storeWith();
    const away = storeWith();
    away.patchLive('ala', { presence: 'away' });

    expect(await full.reserve(reservation())).toBe('agent_refused');
    expect(await changed.reserve(reservation({ capacity: 120 }))).toBe('agent_refused');
    expect(await away.reserve(reservation())).toBe('agent_refused');
    expect(full.liveOf('ala')?.load).toBe(90);
    expect((await full.getWorkItem('case-1'))?.owner).toBeNull();
  });

  it('gives an item one owner: a second reservation finds it taken, and a taken item outranks a refused agent', async () => {
    const store = storeWith();
    store.patchLive('bea', { presence: 'offline' });

    const first = await store.reserve(reservation());
    const second = await store.reserve(reservation({ agentId: 'bea', offerId: 'offer-2' }));

    expect([first, second]).toEqual(['reserved', 'item_taken']);
    expect(await store.getWorkItem('case-1')).toMatchObject({ owner: 'ala', status: 'offered', offerId: 'offer-1' });
    expect(store.liveOf('ala')).toMatchObject({ load: 20, idleSince: at });
    expect(store.liveOf('bea')?.load).toBe(0);
  });

  it('finds an item taken when its case version or its decliners changed since the caller judged it', async () => {
    const declinedSince = storeWith();
    declinedSince.putWork(aWorkRecord({ declinedBy: ['ala'] }));
    const requeuedSince = storeWith();
    requeuedSince.putWork(aWorkRecord({ caseVersion: 2 }));

    expect(await declinedSince.reserve(reservation())).toBe('item_taken');
    expect(await requeuedSince.reserve(reservation())).toBe('item_taken');
    expect(
      await declinedSince.reserve(reservation({ seen: { caseVersion: 1, declines: 1, queue: 'customers', priority: 'normal' } })),
    ).toBe('reserved');
    expect(declinedSince.liveOf('ala')?.load).toBe(20);
    expect(requeuedSince.liveOf('ala')?.load).toBe(0);
  });

  it('releases only for the owner and the named offer, freeing the weight once', async () => {
    const store = storeWith(20);
    store.patchLive('bea', { load: 40 });
    store.putWork(anOffer('ala', 'offer-1'));
    const decline = { agentId: 'ala', workId: 'case-1', weight: 20, at, reason: 'declined' as const, requeue: true, offerId: 'offer-1' };

    const results = [
      await store.release({ ...decline, agentId: 'bea' }),
      await store.release({ ...decline, offerId: 'offer-0' }),
      await store.release(decline),
      await store.release(decline),
    ];

    expect(results).toEqual([false, false, true, false]);
    expect(store.liveOf('ala')?.load).toBe(0);
    expect(store.liveOf('bea')?.load).toBe(40);
    expect(await store.getWorkItem('case-1')).toMatchObject({
      status: 'waiting',
      owner: null,
      declinedBy: ['ala'],
      releaseReason: 'declined',
    });
  });

  it('enqueues and withdraws only for a newer case version', async () => {
    const store = new InMemoryRoutingStore();

    const outcomes = [
      await store.enqueue(aWorkItem(), 2),
      await store.enqueue(aWorkItem({ priority: 'urgent' }), 2),
      await store.enqueue(aWorkItem({ priority: 'urgent' }), 1),
      await store.enqueue(aWorkItem({ priority: 'urgent' }), 3),
      await store.withdraw('case-1', 3, at),
      await store.withdraw('case-1', 4, at),
    ];

    expect(outcomes).toEqual(['created', 'unchanged', 'unchanged', 'refreshed', false, true]);
    expect(await store.getWorkItem('case-1')).toMatchObject({ status: 'done', priority: 'urgent', caseVersion: 4 });
  });

  it('records a decision only on a waiting item and for the current recheck', async () => {
    const store = storeWith();

    const results = [
      await store.recordDecision('case-1', decision, { expectedRecheckId: null, nextRecheckId: 'r1' }),
      await store.recordDecision('case-1', decision, { expectedRecheckId: 'r0', nextRecheckId: 'r2' }),
      await store.recordDecision('case-1', decision, { expectedRecheckId: 'r1', nextRecheckId: 'r3' }),
      await store.recordDecision('case-9', decision, { expectedRecheckId: null, nextRecheckId: 'r4' }),
    ];

    expect(results).toEqual([true, false, true, false]);
    expect(store.recheckIdOf('case-1')).toBe('r3');
  });

  it('lists a queue’s backlog by priority, then age, up to the limit', async () => {
    const store = new InMemoryRoutingStore();
    store.putWork(aWorkRecord({ id: 'young', enqueuedAt: secondsAgo(1) }));
    store.putWork(aWorkRecord({ id: 'old', enqueuedAt: secondsAgo(100) }));
    store.putWork(aWorkRecord({ id: 'high', priority: 'high', enqueuedAt: secondsAgo(0) }));
    store.putWork(aWorkRecord({ id: 'low', priority: 'low', enqueuedAt: secondsAgo(999) }));
    store.putWork(aWorkRecord({ id: 'stores', queue: 'stores', priority: 'urgent' }));
    store.putWork(anOffer('ala', 'offer-1', { id: 'offered', priority: 'urgent' }));

    expect((await store.listBacklog('customers', 3)).map((w) => w.id)).toEqual(['high', 'old', 'young']);
    expect((await store.listBacklog('customers', 100)).map((w) => w.id)).toEqual(['high', 'old', 'young', 'low']);
  });

  it('applies Connect contacts only when newer than the ones stored', async () => {
    const store = storeWith(20);

    const results = [
      await store.applyContacts('ala', { contacts: { c1: 100 }, connectAgentArn: 'arn', at: '2026-11-23T09:00:02.000Z', status: null }),
      await store.applyContacts('ala', { contacts: {}, connectAgentArn: 'arn', at: '2026-11-23T09:00:01.000Z', status: null }),
      await store.applyContacts('nobody', { contacts: {}, connectAgentArn: 'arn', at: '2026-11-23T09:00:03.000Z', status: null }),
    ];

    expect(results).toEqual(['applied', 'stale', 'stale']);
    expect(store.liveOf('ala')?.load).toBe(120);
  });
});
