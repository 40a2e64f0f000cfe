import { describe, expect, it } from 'vitest';
import { drainBacklog } from '#routing/use-cases/drain-backlog';
import { anAgent, anOffer, aWorkRecord, routingDeps, secondsAgo } from '../../support/routing-builders.js';

const expert = (id: string, queues = ['customers']) => anAgent(id, { pl: 9, returns: 9 }, { queues });

describe('drainBacklog', () => {
  it('fills the agent up to capacity from the backlog, urgent first then oldest, and stops for lack of room', async () => {
    // Arrange: six emails of 20 for a budget of 100.
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'));
    const backlog = [
      aWorkRecord({ id: 'normal-young', enqueuedAt: secondsAgo(10) }),
      aWorkRecord({ id: 'low-oldest', priority: 'low', enqueuedAt: secondsAgo(500) }),
      aWorkRecord({ id: 'normal-old', enqueuedAt: secondsAgo(40) }),
      aWorkRecord({ id: 'urgent', priority: 'urgent', enqueuedAt: secondsAgo(1) }),
      aWorkRecord({ id: 'high', priority: 'high', enqueuedAt: secondsAgo(5) }),
      aWorkRecord({ id: 'normal-mid', enqueuedAt: secondsAgo(20) }),
    ];
    for (const work of backlog) deps.routing.putWork(work);

    // Act
    const outcome = await drainBacklog(deps, { agentId: 'ala' });

    // Assess
    expect(outcome.offered.map((o) => o.workId)).toEqual(['urgent', 'high', 'normal-old', 'normal-mid', 'normal-young']);
    expect(outcome.stoppedBecause).toBe('no_room');
    expect(deps.routing.liveOf('ala')?.load).toBe(100);
    expect((await deps.routing.getWorkItem('low-oldest'))?.status).toBe('waiting');
    const first = await deps.routing.getWorkItem('urgent');
    expect(first).toMatchObject({ status: 'offered', owner: 'ala', offerId: 'id-0001' });
    expect(first?.decision).toMatchObject({ winner: 'ala', candidates: [{ agentId: 'ala', remaining: 100 }] });
  });

  it('fills only the room that is left', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'), { load: 60 });
    for (const id of ['a', 'b', 'c']) deps.routing.putWork(aWorkRecord({ id }));

    const outcome = await drainBacklog(deps, { agentId: 'ala' });

    expect(outcome).toEqual({
      offered: [
        { workId: 'a', weight: 20 },
        { workId: 'b', weight: 20 },
      ],
      stoppedBecause: 'no_room',
    });
    expect(deps.routing.liveOf('ala')?.load).toBe(100);
  });

  it('does nothing for an agent who is not available', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'), { presence: 'away' });
    deps.routing.putWork(aWorkRecord());

    const outcome = await drainBacklog(deps, { agentId: 'ala' });

    expect(outcome).toEqual({ offered: [], stoppedBecause: 'not_available' });
    expect(deps.routing.reservations).toEqual([]);
    expect((await deps.routing.getWorkItem('case-1'))?.status).toBe('waiting');
  });

  it('does nothing for an unknown agent', async () => {
    const deps = routingDeps();
    deps.routing.putWork(aWorkRecord());

    expect(await drainBacklog(deps, { agentId: 'nobody' })).toEqual({ offered: [], stoppedBecause: 'unknown_agent' });
  });

  it('leaves items the agent declined to the others', async () => {
    // Arrange
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'));
    deps.routing.putWork(aWorkRecord({ id: 'declined', priority: 'urgent', declinedBy: ['ala'] }));
    deps.routing.putWork(aWorkRecord({ id: 'fresh' }));

    // Act
    const outcome = await drainBacklog(deps, { agentId: 'ala' });

    // Assess
    expect(outcome).toEqual({ offered: [{ workId: 'fresh', weight: 20 }], stoppedBecause: 'nothing_eligible' });
    expect((await deps.routing.getWorkItem('declined'))?.owner).toBeNull();
  });

  it('stops with nothing_eligible when room is left but no item fits the agent’s skills', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('dan', { de: 9, returns: 9 }));
    deps.routing.putWork(aWorkRecord());

    const outcome = await drainBacklog(deps, { agentId: 'dan' });

    expect(outcome).toEqual({ offered: [], stoppedBecause: 'nothing_eligible' });
  });

  it('drains every queue the agent serves in one backlog order', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala', ['customers', 'stores']));
    deps.routing.putWork(aWorkRecord({ id: 'customers-old', enqueuedAt: secondsAgo(30) }));
    deps.routing.putWork(aWorkRecord({ id: 'stores-urgent', queue: 'stores', priority: 'urgent', enqueuedAt: secondsAgo(1) }));
    deps.routing.putWork(aWorkRecord({ id: 'partners', queue: 'partners', priority: 'urgent' }));

    const outcome = await drainBacklog(deps, { agentId: 'ala' });

    expect(outcome.offered.map((o) => o.workId)).toEqual(['stores-urgent', 'customers-old']);
    expect((await deps.routing.getWorkItem('partners'))?.status).toBe('waiting');
  });

  it('moves on to the next item when another router took one first', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'));
    deps.routing.putWork(aWorkRecord({ id: 'first', enqueuedAt: secondsAgo(30) }));
    deps.routing.putWork(aWorkRecord({ id: 'second', enqueuedAt: secondsAgo(20) }));
    deps.routing.beforeReserve = (reservation) => {
      if (reservation.workId === 'first' && deps.routing.reservations.length === 0)
        deps.routing.putWork(anOffer('zoe', 'offer-z', { id: 'first' }));
    };

    const outcome = await drainBacklog(deps, { agentId: 'ala' });

    expect(deps.routing.reservations.map((r) => [r.workId, r.outcome])).toEqual([
      ['first', 'item_taken'],
      ['second', 'reserved'],
    ]);
    expect(outcome.offered).toEqual([{ workId: 'second', weight: 20 }]);
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
  });

  it('stops when a refused reservation shows the agent is no longer available', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'));
    deps.routing.putWork(aWorkRecord());
    deps.routing.beforeReserve = () => deps.routing.patchLive('ala', { presence: 'busy' });

    const outcome = await drainBacklog(deps, { agentId: 'ala' });

    expect(outcome).toEqual({ offered: [], stoppedBecause: 'not_available' });
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
  });

  it('after a refused reservation, reads the agent again and still takes the first item in backlog order', async () => {
    // Arrange
    const deps = routingDeps();
    deps.routing.addStaff(expert('ala'));
    deps.routing.putWork(aWorkRecord({ id: 'urgent', priority: 'urgent' }));
    deps.routing.putWork(aWorkRecord({ id: 'normal' }));
    deps.routing.beforeReserve = () => {
      if (deps.routing.reservations.length === 0) deps.routing.patchLive('ala', { capacity: 120 });
    };

    // Act
    const outcome = await drainBacklog(deps, { agentId: 'ala' });

    // Assess: expected both, urgent first; actual only 'normal', and 'urgent' is left waiting.
    expect(outcome.offered.map((o) => o.workId)).toEqual(['urgent', 'normal']);
  });
});
