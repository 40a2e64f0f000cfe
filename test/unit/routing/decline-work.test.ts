import { describe, expect, it } from 'vitest';
import { BusinessRuleError, ForbiddenError, NotFoundError } from '#platform/domain/errors';
import { declineWork } from '#routing/use-cases/decline-work';
import { agentNamed, anAgent, anOffer, NOW, routingDeps } from '../../support/routing-builders.js';

function offeredToAla() {
  const deps = routingDeps();
  deps.routing.addStaff(anAgent('ala'), { load: 20 });
  deps.routing.addStaff(anAgent('bea'));
  deps.routing.putWork(anOffer('ala', 'offer-1', { declinedBy: ['cyd'] }));
  return deps;
}

describe('declineWork', () => {
  it('puts the item back in the backlog with the decliner recorded, and frees their room', async () => {
    // Arrange
    const deps = offeredToAla();
    deps.clock.advance(4_000);
    const at = new Date(NOW + 4_000).toISOString();

    // Act
    const returned = await declineWork(deps, { workId: 'case-1' }, agentNamed('ala'));

    // Assess
    const expected = { status: 'waiting', owner: null, declinedBy: ['cyd', 'ala'], releasedAt: at, releaseReason: 'declined' };
    expect(returned).toMatchObject(expected);
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject(expected);
    expect(deps.routing.liveOf('ala')).toMatchObject({ load: 0, presence: 'available' });
    expect((await deps.routing.listBacklog('customers', 10)).map((w) => w.id)).toEqual(['case-1']);
  });

  it('lets only the agent the work was offered to decline it', async () => {
    const deps = offeredToAla();

    await expect(declineWork(deps, { workId: 'case-1' }, agentNamed('bea'))).rejects.toThrow(ForbiddenError);
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ status: 'offered', owner: 'ala', declinedBy: ['cyd'] });
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
  });

  it('refuses to decline accepted work', async () => {
    const deps = offeredToAla();
    deps.routing.putWork(anOffer('ala', 'offer-1', { status: 'accepted' }));

    await expect(declineWork(deps, { workId: 'case-1' }, agentNamed('ala'))).rejects.toThrow(BusinessRuleError);
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
  });

  it('refuses a second decline of the same offer, freeing the room only once', async () => {
    const deps = offeredToAla();
    await declineWork(deps, { workId: 'case-1' }, agentNamed('ala'));

    await expect(declineWork(deps, { workId: 'case-1' }, agentNamed('ala'))).rejects.toThrow(ForbiddenError);
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
    expect((await deps.routing.getWorkItem('case-1'))?.declinedBy).toEqual(['cyd', 'ala']);
  });

  it('refuses an unknown item', async () => {
    await expect(declineWork(offeredToAla(), { workId: 'case-9' }, agentNamed('ala'))).rejects.toThrow(NotFoundError);
  });
});
