import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRoutingStore } from '#routing/adapters/dynamodb/routing-store';
import { PRIORITIES } from '#cases';
import type { RoutingDecision } from '#routing/domain/choose-agent';
import type { Reservation } from '#routing/domain/routing-ports';
import type { WorkItem } from '#routing/domain/work-item';

/**
 * The hard claims of routing against DynamoDB Local: many routers racing for one item, or for one
 * agent's capacity, can never both win.
 */
const raw = new DynamoDBClient({
  endpoint: inject('dynamoDbUrl'),
  region: 'eu-central-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const store = new DynamoRoutingStore(documents, 'AgentStateTable');

/** What the store's reads cost while counting is on: requests, and items they returned. */
const reads = { counting: false, requests: 0, items: 0 };
documents.middlewareStack.add(
  (next) => async (args) => {
    const result = await next(args);
    if (!reads.counting) return result;
    const output = result.output as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
    reads.requests += 1;
    reads.items += (output.Items?.length ?? 0) + (output.Item ? 1 : 0);
    reads.items += Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);
    return result;
  },
  { step: 'initialize', name: 'readCounter' },
);
async function counted<T>(read: () => Promise<T>): Promise<{ value: T; requests: number; items: number }> {
  Object.assign(reads, { counting: true, requests: 0, items: 0 });
  try {
    const value = await read();
    return { value, requests: reads.requests, items: reads.items };
  } finally {
    reads.counting = false;
  }
}
afterAll(() => raw.destroy());

const run = `${Date.now().toString(36)}-${process.pid}`;
const at = () => new Date().toISOString();
const expires = () => new Date(Date.now() + 30_000).toISOString();
const decision: RoutingDecision = {
  itemId: 'x',
  caseId: 'x',
  at: '',
  step: { index: 0, afterSeconds: 0, requirements: [] },
  waitedSeconds: 0,
  candidates: [],
  winner: null,
  reason: 'test',
};

function workItem(id: string, weight = 20, queue = 'customers'): WorkItem {
  return {
    id,
    caseId: `case-${id}`,
    queue,
    channel: 'email',
    weight,
    language: 'pl',
    topic: 'returns',
    priority: 'normal',
    enqueuedAt: at(),
    declinedBy: [],
  };
}

async function availableAgent(id: string, capacity = 100): Promise<string> {
  await store.setAgentState(id, { presence: 'available', capacity, at: at() });
  return id;
}

describe('routing claims in DynamoDB', () => {
  it('gives one item to exactly one of 20 agents claiming it at once', async () => {
    const item = workItem(`one-item-${run}`);
    await store.enqueue(item, 1);
    const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => availableAgent(`racer-${run}-${i}`)));

    const outcomes = await Promise.all(
      agents.map((agentId) =>
        store.reserve({
          agentId,
          workId: item.id,
          weight: item.weight,
          capacity: 100,
          at: at(),
          offerExpiresAt: expires(),
          offerId: `offer-${Math.random()}`,
          decision,
          seen: { caseVersion: 1, declines: 0, queue: 'customers', priority: 'normal' },
        }),
      ),
    );
    const winners = agents.filter((_, i) => outcomes[i] === 'reserved');
    const loads = await Promise.all(agents.map((agentId) => store.getAgentLoad(agentId)));

    expect(winners).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'item_taken' || outcome === 'agent_refused')).toHaveLength(19);
    expect((await store.getWorkItem(item.id))?.owner).toBe(winners[0]);
    expect(loads.reduce((sum, state) => sum + (state?.load ?? 0), 0)).toBe(20);
  });

  it('never lets 20 concurrent claims push one agent past capacity', async () => {
    const agentId = await availableAgent(`busy-${run}`, 100);
    const items = Array.from({ length: 20 }, (_, i) => workItem(`cap-${run}-${i}`, 20));
    await Promise.all(items.map((item) => store.enqueue(item, 1)));

    const outcomes = await Promise.all(
      items.map((item) =>
        store.reserve({
          agentId,
          workId: item.id,
          weight: 20,
          capacity: 100,
          at: at(),
          offerExpiresAt: expires(),
          offerId: `offer-${Math.random()}`,
          decision,
          seen: { caseVersion: 1, declines: 0, queue: 'customers', priority: 'normal' },
        }),
      ),
    );

    const reserved = outcomes.filter((outcome) => outcome === 'reserved').length;
    const left = items.filter((_, i) => outcomes[i] !== 'reserved');
    const later = [];
    for (const item of left)
      later.push(
        await store.reserve({
          agentId,
          workId: item.id,
          weight: 20,
          capacity: 100,
          at: at(),
          offerExpiresAt: expires(),
          offerId: `offer-${Math.random()}`,
          decision,
          seen: { caseVersion: 1, declines: 0, queue: 'customers', priority: 'normal' },
        }),
      );

    expect(reserved).toBeGreaterThanOrEqual(1);
    expect(reserved).toBeLessThanOrEqual(5);
    expect(later.filter((outcome) => outcome === 'reserved')).toHaveLength(5 - reserved);
    expect(later.at(-1)).toBe('agent_refused');
    expect((await store.getAgentLoad(agentId))?.load).toBe(100);
  });

  it('refuses an agent who is not available, and frees the weight exactly once on release', async () => {
    const away = `away-${run}`;
    await store.setAgentState(away, { presence: 'away', capacity: 100, at: at() });
    const agentId = await availableAgent(`releaser-${run}`);
    const item = workItem(`release-${run}`, 40);
    await store.enqueue(item, 1);

    const refused = await store.reserve({
      agentId: away,
      workId: item.id,
      weight: 40,
      capacity: 100,
      at: at(),
      offerExpiresAt: expires(),
      offerId: `offer-${Math.random()}`,
      decision,
      seen: { caseVersion: 1, declines: 0, queue: 'customers', priority: 'normal' },
    });
    await store.reserve({
      agentId,
      workId: item.id,
      weight: 40,
      capacity: 100,
      at: at(),
      offerExpiresAt: expires(),
      offerId: `offer-${Math.random()}`,
      decision,
      seen: { caseVersion: 1, declines: 0, queue: 'customers', priority: 'normal' },
    });
    const first = await store.release({ agentId, workId: item.id, weight: 40, at: at(), reason: 'declined', requeue: true });
    const again = await store.release({ agentId, workId: item.id, weight: 40, at: at(), reason: 'declined', requeue: true });

    expect(refused).toBe('agent_refused');
    expect([first, again]).toEqual([true, false]);
    expect((await store.getAgentLoad(agentId))?.load).toBe(0);
    expect(await store.getWorkItem(item.id)).toMatchObject({ status: 'waiting', owner: null, declinedBy: [agentId] });
  });

  it('refuses a reservation judged on a stale snapshot of the item: a decline or a new case version since', async () => {
    const decliner = await availableAgent(`stale-decliner-${run}`);
    const other = await availableAgent(`stale-other-${run}`);
    const item = workItem(`stale-${run}`);
    await store.enqueue(item, 1);
    const claim = (agentId: string, seen: Reservation['seen']) =>
      store.reserve({
        agentId,
        workId: item.id,
        weight: 20,
        capacity: 100,
        at: at(),
        offerExpiresAt: expires(),
        offerId: `offer-${Math.random()}`,
        decision,
        seen,
      });
    expect(await claim(decliner, { caseVersion: 1, declines: 0, queue: 'customers', priority: 'normal' })).toBe('reserved');
    await store.release({ agentId: decliner, workId: item.id, weight: 20, at: at(), reason: 'declined', requeue: true });

    // A message sent before the decline still says nobody declined it.
    const stale = await claim(decliner, { caseVersion: 1, declines: 0, queue: 'customers', priority: 'normal' });
    const staleVersion = await claim(other, { caseVersion: 0, declines: 1, queue: 'customers', priority: 'normal' });
    const current = await claim(other, { caseVersion: 1, declines: 1, queue: 'customers', priority: 'normal' });

    expect([stale, staleVersion, current]).toEqual(['item_taken', 'item_taken', 'reserved']);
    expect((await store.getAgentLoad(decliner))?.load).toBe(0);
    expect(await store.getWorkItem(item.id)).toMatchObject({ status: 'offered', owner: other, declinedBy: [decliner] });
  });

  it('does not enqueue the same item twice', async () => {
    const item = workItem(`twice-${run}`);

    expect([await store.enqueue(item, 1), await store.enqueue(item, 1)]).toEqual(['created', 'unchanged']);
  });
});

describe('queue counters in DynamoDB', () => {
  const claim = (agentId: string, item: WorkItem, caseVersion = 1, declines = 0): Promise<string> =>
    store.reserve({
      agentId,
      workId: item.id,
      weight: item.weight,
      capacity: 1000,
      at: at(),
      offerExpiresAt: expires(),
      offerId: `offer-${item.id}`,
      decision,
      seen: { caseVersion, declines, queue: item.queue, priority: item.priority },
    });

  it('move with every write that moves an item into or out of a backlog, and equal a recount of the items', async () => {
    const [north, south] = [`north-${run}`, `south-${run}`];
    const agentId = await availableAgent(`counted-${run}`, 1000);
    const items = Array.from({ length: 8 }, (_, i) => ({
      ...workItem(`counted-${run}-${i}`, 20, i % 2 ? north : south),
      priority: PRIORITIES[i % 4] ?? 'normal',
    }));
    await Promise.all(items.map((item) => store.enqueue(item, 1)));
    const [a, b, c, d, e, f] = items as [WorkItem, WorkItem, WorkItem, WorkItem, WorkItem, WorkItem];

    // Refreshed to another queue and priority, and to another priority only.
    const refreshed = [
      await store.enqueue({ ...a, queue: north, priority: 'urgent' }, 2),
      await store.enqueue({ ...b, priority: 'low' }, 2),
    ];
    // Offered, then declined back; offered and accepted; offered and finished; withdrawn; done and asked for again.
    const outcomes = [
      await claim(agentId, c),
      await claim(agentId, d),
      await claim(agentId, e),
      await claim(agentId, { ...a, queue: north, priority: 'urgent' }, 2),
      await claim(agentId, b, 1),
    ];
    const releases = [
      await store.release({ agentId, workId: c.id, weight: 20, at: at(), reason: 'declined', requeue: true, offerId: `offer-${c.id}` }),
      await store.release({ agentId, workId: c.id, weight: 20, at: at(), reason: 'declined', requeue: true, offerId: `offer-${c.id}` }),
      await store.release({ agentId, workId: e.id, weight: 20, at: at(), reason: 'resolved', requeue: false }),
    ];
    const withdrawn = [await store.withdraw(f.id, 2, at()), await store.withdraw(f.id, 3, at())];
    const again = await store.enqueue(e, 2);

    const counts = await store.countWaiting([north, south, `empty-${run}`]);
    const recount: Record<string, Record<string, number>> = { [north]: {}, [south]: {}, [`empty-${run}`]: {} };
    for (const item of items) {
      const stored = await store.getWorkItem(item.id);
      if (stored?.status !== 'waiting') continue;
      const queue = (recount[stored.queue] ??= {});
      queue[stored.priority] = (queue[stored.priority] ?? 0) + 1;
    }

    expect(refreshed).toEqual(['refreshed', 'refreshed']);
    // A reservation judged under the queue or priority an item no longer has takes nothing.
    expect(outcomes).toEqual(['reserved', 'reserved', 'reserved', 'reserved', 'item_taken']);
    expect(releases).toEqual([true, false, true]);
    expect(withdrawn).toEqual([true, false]);
    expect(again).toBe('created');
    expect(counts).toEqual(recount);
    expect(counts[`empty-${run}`]).toEqual({});
  });

  it('reads a queue’s counts and its oldest wait in a handful of items, however long its backlog', async () => {
    const queue = `long-${run}`;
    const items = Array.from({ length: 120 }, (_, i) => ({
      ...workItem(`long-${run}-${String(i).padStart(3, '0')}`, 20, queue),
      priority: PRIORITIES[i % 4] ?? 'normal',
      enqueuedAt: new Date(Date.parse('2026-11-23T09:00:00.000Z') + i * 1000).toISOString(),
    }));
    for (let i = 0; i < items.length; i += 20) await Promise.all(items.slice(i, i + 20).map((item) => store.enqueue(item, 1)));

    // What GET /queues read before the counters: the whole backlog.
    const whole = await counted(async () => {
      let start: Record<string, unknown> | undefined;
      let all = 0;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: 'AgentStateTable',
            IndexName: 'GSI2',
            KeyConditionExpression: 'GSI2PK = :pk',
            ExpressionAttributeValues: { ':pk': `BACKLOG#${queue}` },
            ExclusiveStartKey: start,
          }),
        );
        all += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return all;
    });
    const now = await counted(async () => {
      const counts = await store.countWaiting([queue]);
      return { counts, oldest: await store.oldestWaiting(queue, ['low', 'normal', 'high', 'urgent']) };
    });

    expect(whole.value).toBe(120);
    expect(whole.items).toBe(120);
    expect(now.value).toEqual({ counts: { [queue]: { low: 30, normal: 30, high: 30, urgent: 30 } }, oldest: items[0]?.enqueuedAt });
    // One counter item, and the first item of each of the four priorities.
    expect(now.items).toBe(5);
    expect(now.requests).toBe(5);
  });
});
