import { describe, expect, it } from 'vitest';
import type { Case } from '#cases/domain/case';
import { BusinessRuleError, ForbiddenError, NotFoundError, ValidationError } from '#platform/domain/errors';
import type { WorkRecord } from '#routing/domain/routing-ports';
import { claimNextWork } from '#routing/use-cases/claim-next-work';
import { aCase } from '../../support/builders.js';
import {
  agentNamed,
  anAgent,
  aWorkRecord,
  NOW,
  type RoutingTestDeps,
  routingDeps,
  secondsAgo,
  storeCase,
} from '../../support/routing-builders.js';
import { DEMO_QUEUES } from '../../support/demo-settings.js';

const QUEUES = DEMO_QUEUES.map((queue) => queue.name);
const claim = (deps: RoutingTestDeps, agentId = 'ala', queue = 'customers') =>
  claimNextWork(deps, { queue, queues: QUEUES }, agentNamed(agentId));

/** A waiting item and its new, unassigned case. */
function waitingCase(deps: RoutingTestDeps, work: Partial<WorkRecord> & { id: string }, c: Partial<Case> = {}): void {
  deps.routing.putWork(aWorkRecord({ caseId: work.id, ...work }));
  storeCase(deps, aCase({ id: work.id, status: 'new', version: 1, ...c }));
}

describe('claimNextWork', () => {
  it('takes the best item the agent is eligible for, by priority then age, and assigns its case to them', async () => {
    // Arrange: the urgent item needs German; of the two Polish ones the older comes first.
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala', { pl: 9, returns: 9 }));
    waitingCase(deps, { id: 'urgent-de', priority: 'urgent', language: 'de', enqueuedAt: secondsAgo(5) }, { language: 'de' });
    waitingCase(deps, { id: 'young', enqueuedAt: secondsAgo(10) });
    waitingCase(deps, { id: 'old', enqueuedAt: secondsAgo(50) });

    // Act
    const result = await claim(deps);

    // Assess
    expect(result.work).toMatchObject({ id: 'old', status: 'accepted', owner: 'ala', acceptedAt: new Date(NOW).toISOString() });
    expect(result.work && result.case).toMatchObject({ id: 'old', status: 'open', assigneeId: 'ala', version: 2 });
    expect(await deps.routing.getWorkItem('old')).toMatchObject({ status: 'accepted', owner: 'ala' });
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
    expect((await deps.routing.getWorkItem('urgent-de'))?.status).toBe('waiting');
    expect((await deps.routing.getWorkItem('young'))?.status).toBe('waiting');
    expect((await deps.routing.getWorkItem('old'))?.decision).toMatchObject({ winner: 'ala', candidates: [{ agentId: 'ala' }] });
  });

  it('includes items the agent declined before: they are asking for work themselves', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'));
    waitingCase(deps, { id: 'declined', declinedBy: ['ala'] });

    const result = await claim(deps);

    expect(result.work?.id).toBe('declined');
  });

  it('refuses an agent who is not available, and reserves nothing', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'), { presence: 'away' });
    waitingCase(deps, { id: 'case-1' });

    await expect(claim(deps)).rejects.toThrow(BusinessRuleError);
    expect(deps.routing.reservations).toEqual([]);
  });

  it('refuses an agent who does not serve the queue', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'));
    waitingCase(deps, { id: 'case-1', queue: 'stores' }, { queue: 'stores' });

    await expect(claim(deps, 'ala', 'stores')).rejects.toThrow(ForbiddenError);
    expect((await deps.routing.getWorkItem('case-1'))?.status).toBe('waiting');
  });

  it('refuses an unknown queue and someone who is not staff', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'));

    await expect(claim(deps, 'ala', 'nowhere')).rejects.toThrow(ValidationError);
    await expect(claim(deps, 'ghost')).rejects.toThrow(NotFoundError);
  });

  it('says why nothing was taken: an empty backlog, or nothing that fits', async () => {
    const empty = routingDeps();
    empty.routing.addStaff(anAgent('ala'));
    const full = routingDeps();
    full.routing.addStaff(anAgent('ala'), { load: 100 });
    waitingCase(full, { id: 'case-1' });

    expect(await claim(empty)).toEqual({ work: null, reason: 'the customers backlog is empty' });
    expect(await claim(full)).toEqual({ work: null, reason: 'none of the 1 waiting items fits your skills and room' });
  });

  it('gives back at once an item whose case moved on, and takes the next one', async () => {
    // Arrange: the first item's case was resolved before its item left the backlog.
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'));
    waitingCase(deps, { id: 'stale', enqueuedAt: secondsAgo(50) }, { status: 'resolved', version: 3 });
    waitingCase(deps, { id: 'next', enqueuedAt: secondsAgo(10) });

    // Act
    const result = await claim(deps);

    // Assess
    expect(result.work?.id).toBe('next');
    expect(await deps.routing.getWorkItem('stale')).toMatchObject({ status: 'done', owner: null, releaseReason: 'unrouted' });
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
  });

  it('skips an item another agent took first', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'));
    waitingCase(deps, { id: 'first', enqueuedAt: secondsAgo(50) });
    waitingCase(deps, { id: 'second', enqueuedAt: secondsAgo(10) });
    deps.routing.beforeReserve = (reservation) => {
      if (reservation.workId === 'first')
        deps.routing.putWork(aWorkRecord({ id: 'first', caseId: 'first', status: 'offered', owner: 'bea', offerId: 'offer-b' }));
    };

    const result = await claim(deps);

    expect(result.work?.id).toBe('second');
    expect((await deps.routing.getWorkItem('first'))?.owner).toBe('bea');
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
  });

  it('stops when a refused reservation shows the agent is no longer available', async () => {
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'));
    waitingCase(deps, { id: 'case-1' });
    deps.routing.beforeReserve = () => deps.routing.patchLive('ala', { presence: 'offline' });

    await expect(claim(deps)).rejects.toThrow(/no longer available/);
    expect((await deps.routing.getWorkItem('case-1'))?.status).toBe('waiting');
  });

  it('after a refused reservation, reads the agent again and still takes the best item', async () => {
    // Arrange
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'));
    waitingCase(deps, { id: 'urgent', priority: 'urgent' });
    waitingCase(deps, { id: 'normal' });
    deps.routing.beforeReserve = () => {
      if (deps.routing.reservations.length === 0) deps.routing.patchLive('ala', { capacity: 120 });
    };

    // Act
    const result = await claim(deps);

    // Assess: expected 'urgent'; actual 'normal'.
    expect(result.work?.id).toBe('urgent');
  });
});
