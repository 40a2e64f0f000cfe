import { describe, expect, it } from 'vitest';
import { routeWork } from '#routing/use-cases/route-work';
import { anAgent, anOffer, aWorkRecord, NOW, routingDeps, secondsAgo } from '../../support/routing-builders.js';

const expert = (id: string) => anAgent(id, { pl: 9, returns: 9 });
const germanOnly = (id: string) => anAgent(id, { de: 9, returns: 9 });

describe('routeWork', () => {
  it('offers the item to the policy winner, reserving their room and recording the decision on the item', async () => {
    // Arrange
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'), { load: 60 });
    deps.routing.addStaff(expert('bea'), { load: 20 });
    const item = aWorkRecord();
    deps.routing.putWork(item);

    // Act
    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    // Assess
    expect(result).toMatchObject({ outcome: 'offered', agentId: 'bea' });
    const stored = await deps.routing.getWorkItem(item.id);
    expect(stored).toMatchObject({
      status: 'offered',
      owner: 'bea',
      offerId: 'id-0001',
      offeredAt: new Date(NOW).toISOString(),
      offerExpiresAt: new Date(NOW + 30_000).toISOString(),
    });
    expect(stored?.decision?.winner).toBe('bea');
    expect(stored?.decision?.candidates.map((c) => c.agentId)).toEqual(['bea', 'ala']);
    expect(deps.routing.liveOf('bea')?.load).toBe(40);
    expect(deps.routing.liveOf('ala')?.load).toBe(60);
    expect(deps.messages.routes).toEqual([]);
  });

  it('offers to the next candidate when the winner’s reservation is refused (the staff it read was stale)', async () => {
    // Arrange: bea has the most room when the staff is read, then a Connect call fills her.
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'), { load: 60 });
    deps.routing.addStaff(expert('bea'), { load: 0 });
    const item = aWorkRecord();
    deps.routing.putWork(item);
    deps.routing.beforeReserve = (reservation) => {
      if (reservation.agentId === 'bea') deps.routing.patchLive('bea', { load: 100 });
    };

    // Act
    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    // Assess
    expect(result).toMatchObject({ outcome: 'offered', agentId: 'ala' });
    expect(deps.routing.reservations).toEqual([
      { agentId: 'bea', workId: item.id, outcome: 'agent_refused' },
      { agentId: 'ala', workId: item.id, outcome: 'reserved' },
    ]);
    expect(deps.routing.liveOf('bea')?.load).toBe(100);
    expect(deps.routing.liveOf('ala')?.load).toBe(80);
    expect((await deps.routing.getWorkItem(item.id))?.owner).toBe('ala');
  });

  it('with no eligible agent, records the decision and asks to look again when the next step starts', async () => {
    // Arrange: waited 10 s; the next step (any level) starts at 60 s.
    const deps = routingDeps();
    deps.routing.addStaff(germanOnly('dan'));
    const item = aWorkRecord({ enqueuedAt: secondsAgo(10) });
    deps.routing.putWork(item);

    // Act
    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    // Assess
    expect(result).toMatchObject({ outcome: 'backlog', recheckInSeconds: 50 });
    const stored = await deps.routing.getWorkItem(item.id);
    expect(stored?.status).toBe('waiting');
    expect(stored?.decision).toMatchObject({ winner: null, waitedSeconds: 10 });
    expect(stored?.decision?.candidates[0]?.excludedBecause).toEqual(['pl 0 < 5']);
    expect(deps.routing.recheckIdOf(item.id)).toBe('id-0001');
    expect(deps.messages.routes).toHaveLength(1);
    expect(deps.messages.routes[0]).toMatchObject({ delaySeconds: 50, excludeDecliners: false, recheckId: 'id-0001' });
    expect(deps.routing.reservations).toEqual([]);
  });

  it('with no eligible agent and no step boundary before the interval, looks again after the recheck interval', async () => {
    const deps = routingDeps({ backlogRecheckSeconds: 45 });
    deps.routing.addStaff(germanOnly('dan'));
    const item = aWorkRecord({ enqueuedAt: secondsAgo(120) });
    deps.routing.putWork(item);

    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    expect(result).toMatchObject({ outcome: 'backlog', recheckInSeconds: 45 });
    expect(deps.messages.routes[0]?.delaySeconds).toBe(45);
  });

  it('continues the item’s recheck chain when the recheck is the current one', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(germanOnly('dan'));
    const item = aWorkRecord({ enqueuedAt: secondsAgo(10) });
    deps.routing.putWork(item, 'recheck-7');

    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: 'recheck-7' });

    expect(result.outcome).toBe('backlog');
    expect(deps.routing.recheckIdOf(item.id)).toBe('id-0001');
    expect(deps.messages.routes.map((route) => route.recheckId)).toEqual(['id-0001']);
  });

  it('stops a superseded recheck: nothing recorded, nothing sent', async () => {
    // Arrange: the item was routed again meanwhile, so its current recheck is a newer one.
    const deps = routingDeps();
    deps.routing.addStaff(germanOnly('dan'));
    const item = aWorkRecord({ enqueuedAt: secondsAgo(10) });
    deps.routing.putWork(item, 'recheck-8');

    // Act
    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: 'recheck-7' });

    // Assess
    expect(result).toEqual({ outcome: 'not_waiting' });
    expect(deps.messages.routes).toEqual([]);
    expect(deps.routing.recheckIdOf(item.id)).toBe('recheck-8');
    expect((await deps.routing.getWorkItem(item.id))?.decision).toBeNull();
  });

  it('sends nothing for an item that is no longer waiting when nobody can take it', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(germanOnly('dan'));
    const item = aWorkRecord();
    deps.routing.putWork({ ...item, status: 'done', releaseReason: 'unrouted' });

    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    expect(result).toEqual({ outcome: 'not_waiting' });
    expect(deps.messages.routes).toEqual([]);
  });

  it('ends when the item was taken by another router, without charging the agent', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'));
    deps.routing.addStaff(expert('bea'), { load: 20 });
    const item = aWorkRecord();
    deps.routing.putWork(anOffer('zoe', 'offer-9'));

    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    expect(result).toEqual({ outcome: 'not_waiting' });
    expect(deps.routing.reservations).toEqual([{ agentId: 'ala', workId: item.id, outcome: 'item_taken' }]);
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
    expect((await deps.routing.getWorkItem(item.id))?.owner).toBe('zoe');
    expect(deps.messages.routes).toEqual([]);
  });

  it('re-reads an item whose message predates a decline, and ranks the decliner last as the item now stands', async () => {
    // Arrange: the message (a repeat, or one sent before the offer) says nobody declined; ala has
    // declined since and has the most room.
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'), { load: 0 });
    deps.routing.addStaff(expert('bea'), { load: 60 });
    const snapshot = aWorkRecord();
    deps.routing.putWork({ ...snapshot, declinedBy: ['ala'], releasedAt: secondsAgo(1), releaseReason: 'declined' });

    // Act
    const result = await routeWork(deps, { item: snapshot, excludeDecliners: false, recheckId: null });

    // Assess
    expect(result).toMatchObject({ outcome: 'offered', agentId: 'bea' });
    expect(deps.routing.reservations).toEqual([
      { agentId: 'ala', workId: snapshot.id, outcome: 'item_taken' },
      { agentId: 'bea', workId: snapshot.id, outcome: 'reserved' },
    ]);
    const stored = await deps.routing.getWorkItem(snapshot.id);
    expect(stored?.decision?.candidates.find((candidate) => candidate.agentId === 'ala')).toMatchObject({ declinedBefore: true });
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
  });

  it('reads a changed item once: when it is taken after that, the work ends', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'));
    deps.routing.addStaff(expert('bea'), { load: 20 });
    const snapshot = aWorkRecord();
    deps.routing.putWork({ ...snapshot, caseVersion: 2 });
    deps.routing.beforeReserve = (reservation) => {
      if (reservation.seen.caseVersion === 2) deps.routing.putWork(anOffer('zoe', 'offer-9', { caseVersion: 2 }));
    };

    const result = await routeWork(deps, { item: snapshot, excludeDecliners: false, recheckId: null });

    expect(result).toEqual({ outcome: 'not_waiting' });
    expect(deps.routing.reservations.map((reservation) => reservation.outcome)).toEqual(['item_taken', 'item_taken']);
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
    expect(deps.messages.routes).toEqual([]);
  });

  it('keeps decliners out right after a decline, even when they have the most room', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'), { load: 0 });
    deps.routing.addStaff(expert('bea'), { load: 60 });
    const item = aWorkRecord({ declinedBy: ['ala'] });
    deps.routing.putWork(item);

    const result = await routeWork(deps, { item, excludeDecliners: true, recheckId: null });

    expect(result).toMatchObject({ outcome: 'offered', agentId: 'bea' });
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
  });

  it('leaves an item only its decliner could take in the backlog right after the decline, and offers it to them on the recheck', async () => {
    // Arrange
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'));
    const item = aWorkRecord({ declinedBy: ['ala'], enqueuedAt: secondsAgo(10) });
    deps.routing.putWork(item);

    // Act
    const rightAfter = await routeWork(deps, { item, excludeDecliners: true, recheckId: null });
    const recheck = deps.messages.routes[0];
    const later = await routeWork(deps, {
      item,
      excludeDecliners: recheck?.excludeDecliners ?? true,
      recheckId: recheck?.recheckId ?? null,
    });

    // Assess
    expect(rightAfter.outcome).toBe('backlog');
    expect(rightAfter.outcome === 'backlog' && rightAfter.decision.candidates[0]?.excludedBecause).toEqual(['declined this item just now']);
    expect(recheck).toMatchObject({ excludeDecliners: false, recheckId: 'id-0001' });
    expect(later).toMatchObject({ outcome: 'offered', agentId: 'ala' });
  });

  it('gives up after five refused reservations and leaves the item in the backlog with a recheck', async () => {
    // Arrange: six experts with room on paper; each fills up just before their reservation.
    const deps = routingDeps();
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) deps.routing.addStaff(expert(id));
    const item = aWorkRecord({ enqueuedAt: secondsAgo(10) });
    deps.routing.putWork(item);
    deps.routing.beforeReserve = (reservation) => deps.routing.patchLive(reservation.agentId, { load: 100 });

    // Act
    const result = await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    // Assess
    expect(result.outcome).toBe('backlog');
    expect(deps.routing.reservations.map((r) => r.outcome)).toEqual(Array(5).fill('agent_refused'));
    expect((await deps.routing.getWorkItem(item.id))?.status).toBe('waiting');
    expect(deps.messages.routes).toHaveLength(1);
  });

  it('records no winner on an item it gave up on after five refused reservations', async () => {
    const deps = routingDeps();
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) deps.routing.addStaff(expert(id));
    const item = aWorkRecord({ enqueuedAt: secondsAgo(10) });
    deps.routing.putWork(item);
    deps.routing.beforeReserve = (reservation) => deps.routing.patchLive(reservation.agentId, { load: 100 });

    await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    // Expected null; actual 'a6'.
    expect((await deps.routing.getWorkItem(item.id))?.decision?.winner).toBeNull();
  });

  it('records at most maxRecordedCandidates candidates and counts the rest', async () => {
    const deps = routingDeps({ maxRecordedCandidates: 2 });
    for (const id of ['a1', 'a2', 'a3', 'a4']) deps.routing.addStaff(expert(id));
    const item = aWorkRecord();
    deps.routing.putWork(item);

    await routeWork(deps, { item, excludeDecliners: false, recheckId: null });

    const decision = (await deps.routing.getWorkItem(item.id))?.decision;
    expect(decision?.candidates.map((c) => c.agentId)).toEqual(['a1', 'a2']);
    expect(decision?.omittedCandidates).toBe(2);
    expect(decision?.winner).toBe('a1');
  });
});
