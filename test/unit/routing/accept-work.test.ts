import { describe, expect, it } from 'vitest';
import type { Case } from '#cases/domain/case';
import { BusinessRuleError, ForbiddenError, NotFoundError } from '#platform/domain/errors';
import { acceptWork } from '#routing/use-cases/accept-work';
import { aCase } from '../../support/builders.js';
import { agentNamed, anAgent, anOffer, aWorkRecord, NOW, routingDeps, storeCase } from '../../support/routing-builders.js';

/** Ala holds offer `offer-1` of case-1 (a new case at version 1), 20 units of her budget. */
function offeredToAla(c: Partial<Case> = {}) {
  const deps = routingDeps();
  deps.routing.addStaff(anAgent('ala'), { load: 20 });
  deps.routing.addStaff(anAgent('bea'));
  deps.routing.putWork(anOffer('ala', 'offer-1'));
  storeCase(deps, aCase({ status: 'new', version: 1, ...c }));
  return deps;
}

describe('acceptWork', () => {
  it('assigns the case to the owner of the offer, opens it and records the assignment, in one commit', async () => {
    // Arrange
    const deps = offeredToAla();
    deps.clock.advance(10_000);
    const at = new Date(NOW + 10_000).toISOString();

    // Act
    const result = await acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'));

    // Assess
    expect(result.work).toMatchObject({ status: 'accepted', owner: 'ala', acceptedAt: at });
    expect(result.case).toMatchObject({ status: 'open', assigneeId: 'ala', version: 2 });
    expect(deps.db.cases.get('case-1')).toMatchObject({ status: 'open', assigneeId: 'ala', version: 2, statusChangedAt: at });
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ status: 'accepted', owner: 'ala', acceptedAt: at });
    const entry = deps.db.timeline.get('case-1')?.at(-1);
    expect(entry).toMatchObject({
      action: 'case.assigned',
      actor: { kind: 'user', id: 'ala' },
      data: { workId: 'case-1', offerId: 'offer-1', via: 'routing' },
    });
    expect(entry?.changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: 'new', after: 'open' },
        { field: 'assigneeId', before: null, after: 'ala' },
      ]),
    );
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
  });

  it('keeps an open case open when assigning it', async () => {
    const deps = offeredToAla({ status: 'open', version: 4 });

    const result = await acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'));

    expect(result.case).toMatchObject({ status: 'open', assigneeId: 'ala', version: 5 });
  });

  it('lets only the agent the work was offered to accept it', async () => {
    const deps = offeredToAla();

    await expect(acceptWork(deps, { workId: 'case-1' }, agentNamed('bea'))).rejects.toThrow(ForbiddenError);
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ status: 'offered', owner: 'ala' });
    expect(deps.db.cases.get('case-1')?.assigneeId).toBeNull();
  });

  it('refuses an offer past its expiry and changes nothing', async () => {
    const deps = offeredToAla();
    deps.clock.advance(30_001);

    await expect(acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'))).rejects.toThrow(BusinessRuleError);
    expect((await deps.routing.getWorkItem('case-1'))?.status).toBe('offered');
    expect(deps.db.cases.get('case-1')).toMatchObject({ status: 'new', assigneeId: null, version: 1 });
  });

  it('accepts at the last millisecond of the offer', async () => {
    const deps = offeredToAla();
    deps.clock.advance(30_000);

    expect((await acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'))).work.status).toBe('accepted');
  });

  it('refuses work that is offered to nobody, and an unknown item', async () => {
    const deps = offeredToAla();
    deps.routing.putWork(aWorkRecord({ id: 'case-2', caseId: 'case-2' }));

    await expect(acceptWork(deps, { workId: 'case-2' }, agentNamed('ala'))).rejects.toThrow(BusinessRuleError);
    await expect(acceptWork(deps, { workId: 'case-9' }, agentNamed('ala'))).rejects.toThrow(NotFoundError);
  });

  it('refuses when the case no longer needs an agent (resolved meanwhile)', async () => {
    const deps = offeredToAla({ status: 'resolved', version: 2 });

    await expect(acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'))).rejects.toThrow(/no longer needs an agent/);
    expect((await deps.routing.getWorkItem('case-1'))?.status).toBe('offered');
  });

  it('returns accepted work unchanged when the owner accepts again', async () => {
    const deps = offeredToAla();
    const first = await acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'));

    const again = await acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'));

    expect(again.case.version).toBe(first.case.version);
    expect(again.work.status).toBe('accepted');
    expect(deps.db.timeline.get('case-1')).toHaveLength(1);
  });

  it('reads the case again and retries when it changed between the read and the commit', async () => {
    // Arrange: a rival write bumps the case (still new, unassigned) once, just before the commit.
    const deps = offeredToAla();
    let rivals = 0;
    deps.acceptance.beforeCommit = () => {
      if (rivals++ > 0) return;
      const stored = deps.db.cases.get('case-1') as Case;
      deps.db.cases.set('case-1', { ...stored, priority: 'high', version: stored.version + 1 });
    };

    // Act
    const result = await acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'));

    // Assess
    expect(result.case).toMatchObject({ assigneeId: 'ala', priority: 'high', version: 3 });
    expect(deps.db.cases.get('case-1')?.version).toBe(3);
  });

  it('refuses when the offer ended between the read and the commit (the timeout won)', async () => {
    const deps = offeredToAla();
    deps.acceptance.beforeCommit = () => {
      deps.routing.putWork(
        aWorkRecord({ offerId: 'offer-1', declinedBy: ['ala'], releasedAt: new Date(NOW).toISOString(), releaseReason: 'timed_out' }),
      );
    };

    await expect(acceptWork(deps, { workId: 'case-1' }, agentNamed('ala'))).rejects.toThrow(/no longer open/);
    expect(deps.db.cases.get('case-1')).toMatchObject({ assigneeId: null, version: 1 });
  });
});
