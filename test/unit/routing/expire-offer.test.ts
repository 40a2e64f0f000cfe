import { describe, expect, it } from 'vitest';
import { expireOffer } from '#routing/use-cases/expire-offer';
import { anAgent, anOffer, NOW, routingDeps } from '../../support/routing-builders.js';

function offeredToAla() {
  const deps = routingDeps();
  deps.routing.addStaff(anAgent('ala'), { load: 20 });
  deps.routing.putWork(anOffer('ala', 'offer-1'));
  return deps;
}

describe('expireOffer', () => {
  it('ends an unanswered offer: the item goes back with the agent among its decliners, and the agent is set away', async () => {
    // Arrange
    const deps = offeredToAla();
    deps.clock.advance(30_000);

    // Act
    const outcome = await expireOffer(deps, { workId: 'case-1', agentId: 'ala', offerId: 'offer-1' });

    // Assess
    expect(outcome).toBe('expired');
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({
      status: 'waiting',
      owner: null,
      declinedBy: ['ala'],
      releaseReason: 'timed_out',
      releasedAt: new Date(NOW + 30_000).toISOString(),
    });
    expect(deps.routing.liveOf('ala')).toMatchObject({ load: 0, presence: 'away' });
    expect((await deps.routing.getStaffMember('ala'))?.agent.presence).toBe('away');
  });

  it('is a no-op for a stale offer id (the item was offered to the agent again since)', async () => {
    const deps = offeredToAla();
    deps.routing.putWork(anOffer('ala', 'offer-2'));

    const outcome = await expireOffer(deps, { workId: 'case-1', agentId: 'ala', offerId: 'offer-1' });

    expect(outcome).toBe('already_answered');
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ status: 'offered', owner: 'ala', offerId: 'offer-2', declinedBy: [] });
    expect(deps.routing.liveOf('ala')).toMatchObject({ load: 20, presence: 'available' });
  });

  it('is a no-op for an offer already accepted', async () => {
    const deps = offeredToAla();
    deps.routing.putWork(anOffer('ala', 'offer-1', { status: 'accepted' }));

    expect(await expireOffer(deps, { workId: 'case-1', agentId: 'ala', offerId: 'offer-1' })).toBe('already_answered');
    expect(deps.routing.liveOf('ala')).toMatchObject({ load: 20, presence: 'available' });
  });

  it('frees the room once when the timeout message is delivered twice', async () => {
    const deps = offeredToAla();

    const outcomes = [
      await expireOffer(deps, { workId: 'case-1', agentId: 'ala', offerId: 'offer-1' }),
      await expireOffer(deps, { workId: 'case-1', agentId: 'ala', offerId: 'offer-1' }),
    ];

    expect(outcomes).toEqual(['expired', 'already_answered']);
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
    expect((await deps.routing.getWorkItem('case-1'))?.declinedBy).toEqual(['ala']);
  });

  it('is a no-op for an unknown item', async () => {
    expect(await expireOffer(offeredToAla(), { workId: 'case-9', agentId: 'ala', offerId: 'offer-1' })).toBe('already_answered');
  });
});
