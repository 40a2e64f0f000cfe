import { describe, expect, it } from 'vitest';
import { dispatchCaseWork } from '#routing/use-cases/dispatch-case-work';
import { aCase } from '../../support/builders.js';
import { anAgent, anOffer, aWorkRecord, NOW, routingDeps } from '../../support/routing-builders.js';

/** `routingDeps` with ala on the staff holding `load`. */
function withAla(load = 0) {
  const deps = routingDeps();
  deps.routing.addStaff(anAgent('ala'), { load });
  return deps;
}

describe('dispatchCaseWork', () => {
  it('puts a new unassigned case’s work item in the backlog, weighted by channel, with the case’s skills', async () => {
    // Arrange
    const deps = withAla();
    const c = aCase({ status: 'new', channel: 'email', category: 'returns', language: 'pl', priority: 'high', version: 1 });

    // Act
    const outcome = await dispatchCaseWork(deps, { case: c });

    // Assess
    expect(outcome).toBe('enqueued');
    expect(await deps.routing.getWorkItem(c.id)).toMatchObject({
      id: c.id,
      caseId: c.id,
      queue: 'customers',
      status: 'waiting',
      owner: null,
      weight: 20,
      language: 'pl',
      topic: 'returns',
      priority: 'high',
      enqueuedAt: new Date(NOW).toISOString(),
      caseVersion: 1,
      declinedBy: [],
    });
    expect(await deps.routing.listBacklog('customers', 10)).toHaveLength(1);
  });

  it('brings a waiting item up to date with a newer case version, keeping its age', async () => {
    const deps = withAla();
    await dispatchCaseWork(deps, { case: aCase({ version: 1 }) });
    deps.clock.advance(90_000);

    const outcome = await dispatchCaseWork(deps, { case: aCase({ version: 2, priority: 'urgent', channel: 'phone' }) });

    expect(outcome).toBe('refreshed');
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({
      priority: 'urgent',
      weight: 100,
      caseVersion: 2,
      enqueuedAt: new Date(NOW).toISOString(),
    });
  });

  it('ignores an older or repeated case version', async () => {
    // Arrange
    const deps = withAla();
    await dispatchCaseWork(deps, { case: aCase({ version: 3, priority: 'high' }) });

    // Act
    const older = await dispatchCaseWork(deps, { case: aCase({ version: 2, priority: 'low' }) });
    const repeated = await dispatchCaseWork(deps, { case: aCase({ version: 3, priority: 'urgent' }) });

    // Assess
    expect([older, repeated]).toEqual(['unchanged', 'unchanged']);
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ priority: 'high', caseVersion: 3, status: 'waiting' });
  });

  it.each(['pending', 'resolved', 'on_hold', 'closed'] as const)('withdraws a waiting item when the case goes %s', async (status) => {
    const deps = withAla();
    await dispatchCaseWork(deps, { case: aCase({ version: 1 }) });

    const outcome = await dispatchCaseWork(deps, { case: aCase({ version: 2, status }) });

    expect(outcome).toBe('withdrawn');
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({
      status: 'done',
      owner: null,
      releaseReason: 'unrouted',
      caseVersion: 2,
    });
    expect(await deps.routing.listBacklog('customers', 10)).toEqual([]);
  });

  it('does not withdraw a waiting item for an older case version', async () => {
    const deps = withAla();
    await dispatchCaseWork(deps, { case: aCase({ version: 2 }) });

    const outcome = await dispatchCaseWork(deps, { case: aCase({ version: 1, status: 'pending' }) });

    expect(outcome).toBe('unchanged');
    expect((await deps.routing.getWorkItem('case-1'))?.status).toBe('waiting');
  });

  it('releases accepted work exactly once when the case is resolved: a second dispatch changes nothing', async () => {
    // Arrange: ala accepted the item (20 of her budget).
    const deps = withAla(20);
    deps.routing.putWork(anOffer('ala', 'offer-1', { status: 'accepted', acceptedAt: new Date(NOW).toISOString() }));
    const resolved = aCase({ version: 3, status: 'resolved', assigneeId: 'ala' });

    // Act
    const first = await dispatchCaseWork(deps, { case: resolved });
    const second = await dispatchCaseWork(deps, { case: resolved });

    // Assess
    expect(first).toBe('released');
    expect(second).toBe('unchanged');
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ status: 'done', owner: null, releaseReason: 'resolved' });
  });

  it('frees the weight once when the same record is dispatched twice at the same time', async () => {
    // Arrange: ala also holds another case, so a second release would find load to take.
    const deps = withAla(40);
    deps.routing.putWork(anOffer('ala', 'offer-1', { status: 'accepted' }));
    deps.routing.putWork(anOffer('ala', 'offer-2', { id: 'case-2', caseId: 'case-2', status: 'accepted' }));
    const resolved = aCase({ version: 3, status: 'resolved', assigneeId: 'ala' });

    // Act: both read the item while ala still owns it.
    const outcomes = await Promise.all([dispatchCaseWork(deps, { case: resolved }), dispatchCaseWork(deps, { case: resolved })]);

    // Assess
    expect(outcomes.sort()).toEqual(['released', 'unchanged']);
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
    expect((await deps.routing.getWorkItem('case-2'))?.owner).toBe('ala');
  });

  it.each(['open', 'pending', 'on_hold'] as const)('keeps accepted work whose %s case is assigned to its owner', async (status) => {
    const deps = withAla(20);
    deps.routing.putWork(anOffer('ala', 'offer-1', { status: 'accepted' }));

    const outcome = await dispatchCaseWork(deps, { case: aCase({ version: 3, status, assigneeId: 'ala' }) });

    expect(outcome).toBe('kept');
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ status: 'accepted', owner: 'ala' });
  });

  it('keeps an open offer while the case still needs an agent', async () => {
    const deps = withAla(20);
    deps.routing.putWork(anOffer('ala', 'offer-1'));

    const outcome = await dispatchCaseWork(deps, { case: aCase({ version: 2, status: 'new' }) });

    expect(outcome).toBe('unchanged');
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ status: 'offered', owner: 'ala', offerId: 'offer-1' });
  });

  it('releases an offer when someone else is assigned the case, and one whose case went pending before it was accepted', async () => {
    const reassigned = withAla(20);
    reassigned.routing.putWork(anOffer('ala', 'offer-1'));
    const pending = withAla(20);
    pending.routing.putWork(anOffer('ala', 'offer-1'));

    const byHand = await dispatchCaseWork(reassigned, { case: aCase({ version: 2, status: 'open', assigneeId: 'bea' }) });
    const waitingOnCustomer = await dispatchCaseWork(pending, { case: aCase({ version: 2, status: 'pending' }) });

    expect([byHand, waitingOnCustomer]).toEqual(['released', 'released']);
    expect((await reassigned.routing.getWorkItem('case-1'))?.releaseReason).toBe('reassigned');
    expect((await pending.routing.getWorkItem('case-1'))?.releaseReason).toBe('unrouted');
    expect(reassigned.routing.liveOf('ala')?.load).toBe(0);
    expect(pending.routing.liveOf('ala')?.load).toBe(0);
  });

  it('releases accepted work as closed when the case is closed', async () => {
    const deps = withAla(20);
    deps.routing.putWork(anOffer('ala', 'offer-1', { status: 'accepted' }));

    expect(await dispatchCaseWork(deps, { case: aCase({ version: 4, status: 'closed', assigneeId: 'ala' }) })).toBe('released');
    expect((await deps.routing.getWorkItem('case-1'))?.releaseReason).toBe('closed');
  });

  it('queues a reopened case again as a fresh item, without its old decliners', async () => {
    const deps = withAla();
    deps.routing.putWork(
      aWorkRecord({ status: 'done', releaseReason: 'resolved', caseVersion: 3, declinedBy: ['bea'], offerId: 'old-offer' }),
    );
    deps.clock.advance(3_600_000);

    const outcome = await dispatchCaseWork(deps, { case: aCase({ version: 5, status: 'open' }) });

    expect(outcome).toBe('enqueued');
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({
      status: 'waiting',
      caseVersion: 5,
      declinedBy: [],
      offerId: null,
      releaseReason: null,
      enqueuedAt: new Date(NOW + 3_600_000).toISOString(),
    });
  });

  it('changes nothing for a case that needs no agent and has no item', async () => {
    const deps = withAla();

    expect(await dispatchCaseWork(deps, { case: aCase({ status: 'resolved', version: 2 }) })).toBe('unchanged');
    expect(deps.routing.work.size).toBe(0);
  });

  it('gives accepted work back when its case is unassigned', async () => {
    // Arrange
    const deps = withAla(20);
    deps.routing.putWork(anOffer('ala', 'offer-1', { status: 'accepted', caseVersion: 1 }));

    // Act
    const outcome = await dispatchCaseWork(deps, { case: aCase({ version: 4, status: 'open', assigneeId: null }) });

    // Assess: the weight is freed and the item is back in the backlog, to be routed again.
    expect(outcome).toBe('released');
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({ owner: null, status: 'waiting', releaseReason: 'unassigned' });
  });

  it('puts work given back by an escalation into the escalation queue’s backlog, at the raised priority', async () => {
    // Arrange: accepted in `customers` at normal priority; the SLA breach moved and raised the case.
    const deps = withAla(20);
    deps.routing.putWork(anOffer('ala', 'offer-1', { status: 'accepted', caseVersion: 1 }));

    // Act
    const outcome = await dispatchCaseWork(deps, {
      case: aCase({ version: 4, status: 'open', assigneeId: null, queue: 'escalations', priority: 'high' }),
    });

    // Assess
    expect(outcome).toBe('released');
    expect(deps.routing.liveOf('ala')?.load).toBe(0);
    expect(await deps.routing.getWorkItem('case-1')).toMatchObject({
      owner: null,
      status: 'waiting',
      queue: 'escalations',
      priority: 'high',
    });
  });
});
