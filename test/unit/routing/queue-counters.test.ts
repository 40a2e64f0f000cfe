import { describe, expect, it } from 'vitest';
import { PRIORITIES, type Case, type Priority } from '#cases';
import { acceptWork } from '#routing/use-cases/accept-work';
import { declineWork } from '#routing/use-cases/decline-work';
import { describeQueues } from '#routing/use-cases/describe-queues';
import { dispatchCaseWork } from '#routing/use-cases/dispatch-case-work';
import { expireOffer } from '#routing/use-cases/expire-offer';
import { routeWork } from '#routing/use-cases/route-work';
import { aCase } from '../../support/builders.js';
import { DEMO_QUEUES } from '../../support/demo-settings.js';
import {
  agentNamed,
  anAgent,
  aWorkRecord,
  routingDeps,
  secondsAgo,
  storeCase,
  type RoutingTestDeps,
} from '../../support/routing-builders.js';

const QUEUES = ['customers', 'stores'] as const;
const CASES = ['case-1', 'case-2', 'case-3', 'case-4', 'case-5', 'case-6'];

/** A small seeded generator (mulberry32): each seed replays the same sequence. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the counters should say: the waiting items themselves, counted one by one. */
function recount(deps: RoutingTestDeps): Record<string, Partial<Record<Priority, number>>> {
  const counts: Record<string, Partial<Record<Priority, number>>> = Object.fromEntries(QUEUES.map((queue) => [queue, {}]));
  for (const work of deps.routing.work.values()) {
    if (work.status !== 'waiting') continue;
    const queue = (counts[work.queue] ??= {});
    queue[work.priority] = (queue[work.priority] ?? 0) + 1;
  }
  return counts;
}

/** An offer past its time can no longer be accepted: its timeout message ends it. */
function lapsed(deps: RoutingTestDeps, work: { offerExpiresAt: string | null }): boolean {
  return work.offerExpiresAt !== null && Date.parse(work.offerExpiresAt) < deps.clock.now();
}

/** One random step: a case changes and is dispatched, or an item is routed, declined, let lapse or accepted. */
async function step(deps: RoutingTestDeps, next: () => number): Promise<void> {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const caseId = pick(CASES);
  const work = await deps.routing.getWorkItem(caseId);
  const action =
    work?.status === 'offered'
      ? pick(['dispatch', 'decline', 'expire', 'accept', 'accept'] as const)
      : work?.status === 'waiting'
        ? pick(['dispatch', 'route', 'route'] as const)
        : 'dispatch';
  if (action === 'dispatch') {
    const stored = deps.db.cases.get(caseId) ?? aCase({ id: caseId, version: 0 });
    const changed: Case = {
      ...stored,
      version: stored.version + 1,
      status: pick(['new', 'open', 'open', 'resolved', 'closed'] as const),
      priority: pick(PRIORITIES),
      queue: pick(QUEUES),
      assigneeId: next() < 0.2 ? null : stored.assigneeId,
    };
    storeCase(deps, changed);
    await dispatchCaseWork(deps, { case: changed });
  } else if (action === 'route' && work?.status === 'waiting') {
    await routeWork(deps, { item: work, excludeDecliners: next() < 0.5, recheckId: null });
  } else if (action === 'decline' && work?.status === 'offered' && work.owner) {
    await declineWork(deps, { workId: work.id }, agentNamed(work.owner));
  } else if (work?.status === 'offered' && work.owner && work.offerId && (action === 'expire' || lapsed(deps, work))) {
    await expireOffer(deps, { workId: work.id, agentId: work.owner, offerId: work.offerId });
  } else if (action === 'accept' && work?.status === 'offered' && work.owner) {
    await acceptWork(deps, { workId: work.id }, agentNamed(work.owner));
  }
  deps.clock.advance(Math.floor(next() * 20_000));
}

describe('queue counters', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('equal a recount of the waiting items after every step of a random run (seed %i)', async (seed) => {
    // Arrange
    const deps = routingDeps();
    for (const id of ['ala', 'bea', 'cyd'])
      deps.routing.addStaff(anAgent(id, { pl: 9, returns: 9 }, { queues: [...QUEUES] }), { capacity: 60 });
    const next = random(seed);
    const seen = new Set<string>();

    for (let i = 0; i < 150; i++) {
      // Act
      await step(deps, next);
      for (const work of deps.routing.work.values()) seen.add(work.status);

      // Assess
      expect(await deps.routing.countWaiting(QUEUES)).toEqual(recount(deps));
      // An agent freed by a lapsed offer comes back, so the run keeps offering work.
      for (const id of ['ala', 'bea', 'cyd']) deps.routing.patchLive(id, { presence: 'available' });
    }
    // The run went through every state, so every transition had its chance to miscount.
    expect([...seen].sort()).toEqual(['accepted', 'done', 'offered', 'waiting']);
  });

  it('makes GET /queues count from the counters, and a waiting item written around them shows up nowhere', async () => {
    const deps = routingDeps();
    deps.routing.putWork(aWorkRecord({ id: 'a', priority: 'high', enqueuedAt: secondsAgo(40) }));
    // Written past the store (as a missed transition would be): the overview does not see it.
    deps.routing.work.set('b', { ...aWorkRecord({ id: 'b', priority: 'low', enqueuedAt: secondsAgo(90) }), recheckId: null });

    const [customers] = await describeQueues(deps, { queues: DEMO_QUEUES.slice(0, 1) });

    expect(customers).toMatchObject({ waiting: 1, waitingByPriority: { high: 1 }, oldestWaitSeconds: 40 });
  });
});
