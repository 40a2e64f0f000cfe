import { describe, expect, it } from 'vitest';
import type { WorkRecord } from '#routing/domain/routing-ports';
import { relayWorkChange } from '#routing/use-cases/relay-work-change';
import { anOffer, aWorkRecord, NOW, routingDeps } from '../../support/routing-builders.js';

const releasedAt = new Date(NOW).toISOString();

/** The item after ala's offer `offer-1` ended with `reason` and it went back to the backlog. */
function backInBacklog(reason: 'declined' | 'timed_out'): WorkRecord {
  return aWorkRecord({ offerId: 'offer-1', declinedBy: ['ala'], releasedAt, releaseReason: reason });
}

describe('relayWorkChange', () => {
  it('asks a router to place a new item at once, with no one left out', async () => {
    // Arrange
    const deps = routingDeps();
    const after = aWorkRecord();

    // Act
    const published = await relayWorkChange(deps, { before: null, after });

    // Assess
    expect(published).toEqual([]);
    expect(deps.messages.routes).toEqual([{ item: after, delaySeconds: 0, excludeDecliners: false, recheckId: null }]);
    expect(deps.messages.expiries).toEqual([]);
    expect(deps.events.batches).toEqual([]);
  });

  it('after a decline, asks to place the item with decliners left out and publishes work.declined', async () => {
    const deps = routingDeps();
    const after = backInBacklog('declined');

    const published = await relayWorkChange(deps, { before: anOffer('ala', 'offer-1'), after });

    expect(published).toEqual(['work.declined']);
    expect(deps.messages.routes).toEqual([{ item: after, delaySeconds: 0, excludeDecliners: true, recheckId: null }]);
    expect(deps.events.events).toEqual([{ type: 'work.declined', work: after, agentId: 'ala' }]);
  });

  it('after a lapsed offer, asks to place the item with decliners left out and publishes work.timed_out', async () => {
    const deps = routingDeps();
    const after = backInBacklog('timed_out');

    const published = await relayWorkChange(deps, { before: anOffer('ala', 'offer-1'), after });

    expect(published).toEqual(['work.timed_out']);
    expect(deps.messages.routes[0]?.excludeDecliners).toBe(true);
    expect(deps.events.events).toEqual([{ type: 'work.timed_out', work: after, agentId: 'ala' }]);
  });

  it('on a new offer, asks for the offer to be ended when its time is up and publishes work.offered', async () => {
    // Arrange: the stream delivers the change 5 s after the offer was made (30 s to answer).
    const deps = routingDeps();
    deps.clock.advance(5_000);
    const before = aWorkRecord();
    const after = anOffer('ala', 'offer-2');

    // Act
    const published = await relayWorkChange(deps, { before, after });

    // Assess
    expect(published).toEqual(['work.offered']);
    expect(deps.messages.expiries).toEqual([
      { workId: 'case-1', queue: 'customers', agentId: 'ala', offerId: 'offer-2', delaySeconds: 25 },
    ]);
    expect(deps.messages.routes).toEqual([]);
    expect(deps.events.events).toEqual([{ type: 'work.offered', work: after, agentId: 'ala' }]);
  });

  it('on a new offer whose time is already up, asks for the timeout at once', async () => {
    const deps = routingDeps();
    deps.clock.advance(45_000);

    await relayWorkChange(deps, { before: aWorkRecord(), after: anOffer('ala', 'offer-2') });

    expect(deps.messages.expiries[0]?.delaySeconds).toBe(0);
  });

  it('publishes work.accepted when the owner accepts, and sends no message', async () => {
    const deps = routingDeps();
    const after = anOffer('ala', 'offer-1', { status: 'accepted', acceptedAt: releasedAt });

    const published = await relayWorkChange(deps, { before: anOffer('ala', 'offer-1'), after });

    expect(published).toEqual(['work.accepted']);
    expect(deps.events.events).toEqual([{ type: 'work.accepted', work: after, agentId: 'ala' }]);
    expect(deps.messages.routes).toEqual([]);
    expect(deps.messages.expiries).toEqual([]);
  });

  it('publishes work.released when accepted work or an offer is given up for good', async () => {
    const deps = routingDeps();
    const resolved = anOffer('ala', 'offer-1', { status: 'done', owner: null, releasedAt, releaseReason: 'resolved' });
    const unrouted = anOffer('bea', 'offer-2', {
      id: 'case-2',
      caseId: 'case-2',
      status: 'done',
      owner: null,
      releasedAt,
      releaseReason: 'unrouted',
    });

    const fromAccepted = await relayWorkChange(deps, { before: anOffer('ala', 'offer-1', { status: 'accepted' }), after: resolved });
    const fromOffer = await relayWorkChange(deps, {
      before: anOffer('bea', 'offer-2', { id: 'case-2', caseId: 'case-2' }),
      after: unrouted,
    });

    expect([fromAccepted, fromOffer]).toEqual([['work.released'], ['work.released']]);
    expect(deps.events.events.map((event) => event.agentId)).toEqual(['ala', 'bea']);
    expect(deps.messages.routes).toEqual([]);
  });

  it('does nothing for an unchanged item, a repeated offer, or a decision recorded on a waiting item', async () => {
    const deps = routingDeps();
    const waiting = aWorkRecord();
    const offer = anOffer('ala', 'offer-1');
    const withDecision = aWorkRecord({
      decision: {
        itemId: 'case-1',
        caseId: 'case-1',
        at: releasedAt,
        step: { index: 0, afterSeconds: 0, requirements: [] },
        waitedSeconds: 0,
        candidates: [],
        winner: null,
        reason: 'no agent serves this queue',
      },
    });

    const results = [
      await relayWorkChange(deps, { before: waiting, after: waiting }),
      await relayWorkChange(deps, { before: offer, after: offer }),
      await relayWorkChange(deps, { before: waiting, after: withDecision }),
    ];

    expect(results).toEqual([[], [], []]);
    expect(deps.messages.routes).toEqual([]);
    expect(deps.messages.expiries).toEqual([]);
    expect(deps.events.batches).toEqual([]);
  });

  it('asks to place a waiting item again when a newer case version refreshed it, with no one left out', async () => {
    const deps = routingDeps();
    const before = backInBacklog('declined');
    const after = { ...before, priority: 'urgent' as const, caseVersion: 2 };

    const published = await relayWorkChange(deps, { before, after });

    expect(published).toEqual([]);
    expect(deps.messages.routes).toEqual([{ item: after, delaySeconds: 0, excludeDecliners: false, recheckId: null }]);
  });

  it('asks to place a reopened case’s item again', async () => {
    const deps = routingDeps();
    const before = aWorkRecord({ status: 'done', releaseReason: 'resolved', caseVersion: 3 });
    const after = aWorkRecord({ caseVersion: 5 });

    await relayWorkChange(deps, { before, after });

    expect(deps.messages.routes).toEqual([{ item: after, delaySeconds: 0, excludeDecliners: false, recheckId: null }]);
  });
});
