import { describe, expect, it } from 'vitest';
import { canSeeCase, caseViewer, type CaseViewer } from '#cases/domain/case-access';
import { type CaseAccessDeps, loadCaseFor, viewerOf } from '#cases/use-cases/case-access';
import { addNote } from '#cases/use-cases/add-note';
import { getCaseDetail } from '#cases/use-cases/get-case-detail';
import { getCustomer } from '#cases/use-cases/get-customer';
import { getTimeline } from '#cases/use-cases/get-timeline';
import { listCases } from '#cases/use-cases/list-cases';
import { mergeCases } from '#cases/use-cases/merge-cases';
import { openCase } from '#cases/use-cases/open-case';
import { updateCase } from '#cases/use-cases/update-case';
import type { Actor } from '#platform/domain/actor';
import { NotFoundError } from '#platform/domain/errors';
import { InMemoryMergeStore } from '../../support/memory/in-memory-merge-store.js';
import { agentActor, memoryDeps, openCaseInput, supervisorActor } from '../../support/builders.js';

const adminActor: Actor = { kind: 'user', id: 'admin', roles: ['admins'] };
const storesAgent: CaseViewer = { scope: 'queues', id: 'agent-07', queues: ['stores'] };

function accessDeps(queuesByAgent: Record<string, string[]>, caseAccess: CaseAccessDeps['caseAccess'] = 'queues') {
  const reads: string[] = [];
  const deps: CaseAccessDeps = {
    caseAccess,
    staff: {
      queuesServedBy: async (agentId) => {
        reads.push(agentId);
        return queuesByAgent[agentId] ?? [];
      },
    },
  };
  return { deps, reads };
}

describe('canSeeCase', () => {
  it('lets an agent see the cases of the queues they serve and the cases assigned to them, nothing else', () => {
    expect(canSeeCase(storesAgent, { queue: 'stores', assigneeId: null })).toBe(true);
    expect(canSeeCase(storesAgent, { queue: 'marketplace', assigneeId: 'agent-07' })).toBe(true);
    expect(canSeeCase(storesAgent, { queue: 'marketplace', assigneeId: null })).toBe(false);
    expect(canSeeCase(storesAgent, { queue: 'marketplace', assigneeId: 'agent-08' })).toBe(false);
  });

  it('lets supervisors, admins and the system see every case, and everyone under the `all` setting', () => {
    for (const actor of [supervisorActor, adminActor, { kind: 'system', id: 'email-intake' } as const]) {
      expect(canSeeCase(caseViewer(actor, [], 'queues'), { queue: 'marketplace', assigneeId: null })).toBe(true);
    }
    expect(canSeeCase(caseViewer(agentActor, [], 'all'), { queue: 'marketplace', assigneeId: null })).toBe(true);
    expect(canSeeCase(caseViewer(agentActor, ['stores'], 'queues'), { queue: 'marketplace', assigneeId: null })).toBe(false);
  });
});

describe('viewerOf', () => {
  it('reads the queues of an agent only, and none under the `all` setting', async () => {
    const limited = accessDeps({ 'agent-07': ['stores'] });
    expect(await viewerOf(limited.deps, agentActor)).toEqual(storesAgent);
    expect(await viewerOf(limited.deps, supervisorActor)).toEqual({ scope: 'all', id: 'supervisor-1' });
    expect(limited.reads).toEqual(['agent-07']);

    const everyone = accessDeps({ 'agent-07': ['stores'] }, 'all');
    expect(await viewerOf(everyone.deps, agentActor)).toEqual({ scope: 'all', id: 'agent-07' });
    expect(everyone.reads).toEqual([]);
  });

  it('limits an agent without a profile to the cases assigned to them', async () => {
    const { deps } = accessDeps({});
    expect(await viewerOf(deps, agentActor)).toEqual({ scope: 'queues', id: 'agent-07', queues: [] });
  });
});

async function twoQueues() {
  const deps = memoryDeps();
  const mine = await openCase(deps, openCaseInput({ queue: 'stores' }), supervisorActor);
  const other = await openCase(deps, openCaseInput({ queue: 'marketplace' }), supervisorActor);
  return { deps, mine, other };
}

describe('every case use case answers a case the viewer may not see as not found', () => {
  it('loadCaseFor and getCaseDetail, by id and by number', async () => {
    const { deps, mine, other } = await twoQueues();
    expect((await loadCaseFor(deps, storesAgent, mine.number)).id).toBe(mine.id);
    await expect(loadCaseFor(deps, storesAgent, other.id)).rejects.toThrow(NotFoundError);
    await expect(loadCaseFor(deps, storesAgent, other.number)).rejects.toThrow(NotFoundError);
    expect((await getCaseDetail(deps, mine.id, storesAgent)).case.id).toBe(mine.id);
    await expect(getCaseDetail(deps, other.id, storesAgent)).rejects.toThrow(NotFoundError);
  });

  it('updateCase, addNote and getTimeline change and read nothing of an invisible case', async () => {
    const { deps, other } = await twoQueues();
    const change = { id: other.id, expectedVersion: 1, changes: { priority: 'high' as const }, viewer: storesAgent };
    await expect(updateCase(deps, change, agentActor)).rejects.toThrow(NotFoundError);
    await expect(addNote(deps, { caseId: other.id, body: 'x', viewer: storesAgent }, agentActor)).rejects.toThrow(NotFoundError);
    await expect(getTimeline(deps, other.id, { limit: 10 }, storesAgent)).rejects.toThrow(NotFoundError);
    expect(deps.db.cases.get(other.id)).toMatchObject({ priority: 'normal', version: 1 });
    expect(deps.db.notes.get(other.id) ?? []).toEqual([]);
  });

  it('an agent sees a case of another queue once it is assigned to them', async () => {
    const { deps, other } = await twoQueues();
    await updateCase(deps, { id: other.id, expectedVersion: 1, changes: { assigneeId: 'agent-07' } }, supervisorActor);
    expect((await getTimeline(deps, other.id, { limit: 10 }, storesAgent)).items.length).toBeGreaterThan(0);
    expect(await addNote(deps, { caseId: other.id, body: 'mine now', viewer: storesAgent }, agentActor)).toMatchObject({
      caseId: other.id,
    });
  });

  it('mergeCases refuses a case the viewer may not see', async () => {
    const { deps, mine, other } = await twoQueues();
    const supervisorOfStores: CaseViewer = { scope: 'queues', id: 'supervisor-1', queues: ['stores'] };
    const merge = mergeCases(
      {
        ...deps,
        merge: new InMemoryMergeStore(async () => undefined),
        queue: { enqueue: async () => undefined },
      },
      { sourceId: mine.id, targetId: other.id, viewer: supervisorOfStores },
      supervisorActor,
    );
    await expect(merge).rejects.toThrow(NotFoundError);
  });
});

describe('lists and the customer view show only visible cases', () => {
  it('listCases leaves out invisible cases under every filter', async () => {
    const { deps, mine, other } = await twoQueues();
    const ids = async (query: Parameters<typeof listCases>[1]) => (await listCases(deps, query, storesAgent)).items.map((c) => c.id);
    expect(await ids({ limit: 10 })).toEqual([mine.id]);
    expect(await ids({ limit: 10, queue: 'marketplace' })).toEqual([]);
    expect(await ids({ limit: 10, status: 'new' })).toEqual([mine.id]);
    // Both cases are the same customer's: the filter by customer still leaves out the other queue's.
    expect(other.customerId).toBe(mine.customerId);
    expect(await ids({ limit: 10, customerId: other.customerId })).toEqual([mine.id]);
    expect((await listCases(deps, { limit: 10 }, { scope: 'all', id: 'supervisor-1' })).items).toHaveLength(2);
  });

  it('getCustomer lists the visible cases and counts the others', async () => {
    const deps = memoryDeps();
    const customer = { email: 'ewa@example.com' };
    const mine = await openCase(deps, openCaseInput({ queue: 'stores', customer }), supervisorActor);
    await openCase(deps, openCaseInput({ queue: 'marketplace', customer }), supervisorActor);
    await openCase(deps, openCaseInput({ queue: 'other', customer }), supervisorActor);

    const seen = await getCustomer(deps, mine.customerId, { limit: 10 }, storesAgent);
    expect(seen.cases.items.map((c) => c.id)).toEqual([mine.id]);
    expect(seen.hiddenCases).toBe(2);
    const all = await getCustomer(deps, mine.customerId, { limit: 10 }, { scope: 'all', id: 'supervisor-1' });
    expect([all.cases.items.length, all.hiddenCases]).toEqual([3, 0]);
  });
});
