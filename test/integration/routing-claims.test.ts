import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoRoutingStore } from '#routing/adapters/dynamodb/routing-store';
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
const store = new DynamoRoutingStore(
  DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
  'AgentStateTable',
);
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

function workItem(id: string, weight = 20): WorkItem {
  return {
    id,
    caseId: `case-${id}`,
    queue: 'customers',
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
