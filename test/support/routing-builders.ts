import { InMemoryCasesDb } from './memory/in-memory-cases-db.js';
import { InMemoryAcceptanceStore, InMemoryRoutingStore } from './memory/in-memory-routing-store.js';
import type { Actor } from '#platform/domain/actor';
import type { Agent } from '#agents/domain/agent';
import type { Case } from '#cases/domain/case';
import type { AgentLoad } from '#agents/domain/agent';
import type { WorkRecord } from '#routing/domain/routing-ports';
import { type RoutingSettings } from '#routing/domain/routing-settings';
import type { WorkItem } from '#routing/domain/work-item';
import type { AssignmentDeps } from '#routing/use-cases/deps';
import { FakeClock, SequentialIds } from './fakes.js';
import { RecordingRoutingMessages, RecordingWorkEvents } from './routing-fakes.js';
import { DEMO_ROUTING_SETTINGS } from './demo-settings.js';

/** The fake clock's starting instant (ms): every builder's times are relative to it. */
export const NOW = Date.parse('2026-11-23T09:00:00.000Z');

/** The ISO instant `seconds` before `NOW`. */
export function secondsAgo(seconds: number): string {
  return new Date(NOW - seconds * 1000).toISOString();
}

/** A member of staff serving `customers`, available, with a budget of 100; skills as `{ skill: level }`. */
export function anAgent(id: string, skills: Record<string, number> = { pl: 9, returns: 9 }, overrides: Partial<Agent> = {}): Agent {
  return {
    id,
    username: id,
    name: id,
    email: `${id}@switchboard.local`,
    connectUsername: null,
    roles: ['agents'],
    skills: Object.entries(skills).map(([skill, level]) => ({ skill, level })),
    queues: ['customers'],
    capacity: 100,
    presence: 'available',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A live state of an agent, available with a budget of 100. */
export function aLoad(agentId: string, overrides: Partial<AgentLoad> = {}): AgentLoad {
  return { agentId, presence: 'available', load: 0, capacity: 100, idleSince: null, ...overrides };
}

/** The work item of case `case-1`: a Polish email about returns in `customers`, enqueued at `NOW`. */
export function aWorkItem(overrides: Partial<WorkItem> = {}): WorkItem {
  return {
    id: 'case-1',
    caseId: 'case-1',
    queue: 'customers',
    channel: 'email',
    weight: 20,
    language: 'pl',
    topic: 'returns',
    priority: 'normal',
    enqueuedAt: new Date(NOW).toISOString(),
    declinedBy: [],
    ...overrides,
  };
}

/** A stored work record, waiting unless told otherwise. */
export function aWorkRecord(overrides: Partial<WorkRecord> = {}): WorkRecord {
  const id = overrides.id ?? 'case-1';
  return {
    ...aWorkItem({ id, caseId: overrides.caseId ?? id }),
    status: 'waiting',
    owner: null,
    offerId: null,
    offeredAt: null,
    offerExpiresAt: null,
    acceptedAt: null,
    caseVersion: 1,
    releasedAt: null,
    releaseReason: null,
    decision: null,
    ...overrides,
  };
}

/** An item offered to `agentId` at `NOW` under `offerId`, for 30 s. */
export function anOffer(agentId: string, offerId: string, overrides: Partial<WorkRecord> = {}): WorkRecord {
  return aWorkRecord({
    status: 'offered',
    owner: agentId,
    offerId,
    offeredAt: new Date(NOW).toISOString(),
    offerExpiresAt: new Date(NOW + 30_000).toISOString(),
    ...overrides,
  });
}

/** A signed-in agent. */
export function agentNamed(id: string): Actor {
  return { kind: 'user', id, roles: ['agents'] };
}

export type RoutingTestDeps = AssignmentDeps & {
  routing: InMemoryRoutingStore;
  messages: RecordingRoutingMessages;
  events: RecordingWorkEvents;
  clock: FakeClock;
  db: InMemoryCasesDb;
  acceptance: InMemoryAcceptanceStore;
  contacts: InMemoryRoutingStore;
};

/** Routing's dependencies in memory: stores, recorded messages and events, a fake clock at `NOW`, ids `id-0001`, … */
export function routingDeps(settings: Partial<RoutingSettings> = {}): RoutingTestDeps {
  const routing = new InMemoryRoutingStore();
  const db = new InMemoryCasesDb();
  return {
    routing,
    contacts: routing,
    messages: new RecordingRoutingMessages(),
    events: new RecordingWorkEvents(),
    clock: new FakeClock(NOW),
    ids: new SequentialIds(),
    settings: { ...DEMO_ROUTING_SETTINGS, ...settings },
    db,
    cases: db,
    acceptance: new InMemoryAcceptanceStore(routing, db),
    backoff: async () => undefined,
  };
}

/** Stores a case in the in-memory cases table, with an empty timeline. */
export function storeCase(deps: RoutingTestDeps, c: Case): void {
  deps.db.cases.set(c.id, structuredClone(c));
  deps.db.timeline.set(c.id, []);
}
