import { InMemoryCallbackStore } from './memory/in-memory-callback-store.js';
import { InMemoryCasesDb } from './memory/in-memory-cases-db.js';
import { InMemorySlaStore } from './memory/in-memory-sla-store.js';
import type { Callback } from '#telephony/domain/callback';
import type { CallbackAgent, CallbackStaff, DialRequest, DialResult, OutboundDialler } from '#telephony/domain/callback-ports';
import { DEFAULT_CALLBACK_SETTINGS, type CallbackSettings } from '#telephony/domain/callback-settings';
import type { ContactEvent } from '#telephony/domain/contact-event';
import type { Case } from '#cases/domain/case';
import type { Customer } from '#customers/domain/customer';
import { identityKey } from '#customers/domain/customer-ports';
import type { DispatchCallbacksDeps } from '#telephony/use-cases/deps';
import { aCase } from './builders.js';
import { FakeClock, SequentialIds, SequentialSecrets } from './fakes.js';
import { DEMO_MAIL_SETTINGS, DEMO_QUEUES } from './demo-settings.js';

/** Monday 2026-11-23 09:00 UTC: 10:00 in Warsaw, within the customer service hours (Mon–Fri 08–20). */
export const NOW = '2026-11-23T09:00:00.000Z';
export const MINUTE = 60_000;

export const CALLER = '+48601234567';
export const INSTANCE_ARN = 'arn:aws:connect:eu-central-1:111122223333:instance/4f3c2b1a-0000-4000-8000-000000000001';
/** The Connect queue of `customers` in the fixtures and the settings below. */
export const CUSTOMERS_CONNECT_QUEUE = '0a1b2c3d-0000-4000-8000-00000000c001';
export const AGENT_ARN = `${INSTANCE_ARN}/agent/9e8d7c6b-0000-4000-8000-0000000a0001`;

export const CALLBACK_SETTINGS: CallbackSettings = {
  ...DEFAULT_CALLBACK_SETTINGS,
  connectQueueIds: {
    customers: CUSTOMERS_CONNECT_QUEUE,
    stores: '0a1b2c3d-0000-4000-8000-00000000c002',
    marketplace: '0a1b2c3d-0000-4000-8000-00000000c003',
    other: '0a1b2c3d-0000-4000-8000-00000000c004',
    escalations: '0a1b2c3d-0000-4000-8000-00000000c005',
  },
  queues: DEMO_QUEUES,
  defaultQueue: 'customers',
};

/** The staff as the test sets them. */
export class FakeCallbackStaff implements CallbackStaff {
  agents: CallbackAgent[] = [];
  reads = 0;
  async listAgents(): Promise<CallbackAgent[]> {
    this.reads += 1;
    return structuredClone(this.agents);
  }
}

/**
 * Connect's StartOutboundVoiceContact, recorded: every request in order; answers `started` with
 * `outbound-<n>` unless the test queued other answers (a result, or an error to throw). Like Connect,
 * a repeated token answers the contact it started before.
 */
export class RecordingDialler implements OutboundDialler {
  readonly requests: DialRequest[] = [];
  readonly answers: (DialResult | Error)[] = [];
  private readonly started = new Map<string, string>();

  async dial(request: DialRequest): Promise<DialResult> {
    this.requests.push(structuredClone(request));
    const known = this.started.get(request.clientToken);
    if (known) return { kind: 'started', contactId: known };
    const answer = this.answers.shift() ?? { kind: 'started', contactId: `outbound-${this.requests.length}` };
    if (answer instanceof Error) throw answer;
    if (answer.kind === 'started') this.started.set(request.clientToken, answer.contactId);
    return answer;
  }
}

/** A member of staff of `customers`, free (available, on no call), speaking Polish; override what the test is about. */
export function aCallbackAgent(id: string, overrides: Partial<CallbackAgent> = {}): CallbackAgent {
  return {
    id,
    queues: ['customers'],
    skills: [{ skill: 'pl', level: 9 }],
    presence: 'available',
    onContact: false,
    connectAgentArn: null,
    ...overrides,
  };
}

/** A customer who owns `CALLER` (and an email), standard tier, Polish. */
export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'customer-1',
    name: 'Anna Kowalska',
    identities: [
      { type: 'phone', value: CALLER },
      { type: 'email', value: 'anna@example.pl' },
    ],
    preferredLanguage: 'pl',
    tier: 'standard',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** An open callback for `CALLER` on `case-1`, due at `NOW`, no attempts yet. */
export function aCallback(overrides: Partial<Callback> = {}): Callback {
  return {
    id: 'callback-1',
    phone: CALLER,
    status: 'open',
    customerId: 'customer-1',
    caseId: 'case-1',
    caseNumber: 'CS-000001',
    queue: 'customers',
    language: 'pl',
    tier: 'standard',
    priorityRank: 1,
    missedCount: 1,
    firstMissedAt: '2026-11-23T08:55:00.000Z',
    lastMissedAt: '2026-11-23T08:55:00.000Z',
    missedContactIds: ['missed-contact-1'],
    nextAttemptAt: NOW,
    attempts: [],
    endReason: null,
    finishedAt: null,
    createdAt: '2026-11-23T08:55:00.000Z',
    updatedAt: '2026-11-23T08:55:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** A voice contact event as the adapter yields it: an inbound call abandoned in the `customers` queue; override the rest. */
export function aContactEvent(overrides: Partial<ContactEvent> = {}): ContactEvent {
  return {
    eventId: 'event-1',
    eventType: 'DISCONNECTED',
    contactId: 'contact-1',
    initialContactId: 'contact-1',
    previousContactId: null,
    channel: 'VOICE',
    instanceArn: INSTANCE_ARN,
    initiationMethod: 'INBOUND',
    initiationAt: '2026-11-23T08:50:00.000Z',
    disconnectAt: '2026-11-23T08:55:00.000Z',
    queue: {
      arn: `${INSTANCE_ARN}/queue/${CUSTOMERS_CONNECT_QUEUE}`,
      connectQueueId: CUSTOMERS_CONNECT_QUEUE,
      enqueuedAt: '2026-11-23T08:51:00.000Z',
    },
    agent: null,
    customerAddress: CALLER,
    attributes: {},
    disconnectReason: 'CUSTOMER_DISCONNECT',
    recordings: [],
    at: '2026-11-23T08:55:01.000Z',
    ...overrides,
  };
}

/** Every callback use case's dependencies in memory, at `now`. */
export function callbackDeps(now = NOW) {
  const db = new InMemoryCasesDb();
  const store = new InMemoryCallbackStore(db);
  const sla = new InMemorySlaStore(db);
  const staff = new FakeCallbackStaff();
  const dialler = new RecordingDialler();
  const clock = new FakeClock(Date.parse(now));
  const deps: DispatchCallbacksDeps = {
    callbacks: store,
    cases: db,
    customers: db,
    staff,
    clock,
    ids: new SequentialIds(),
    secrets: new SequentialSecrets(),
    settings: CALLBACK_SETTINGS,
    mailSettings: DEMO_MAIL_SETTINGS,
    backoff: async () => undefined,
    dialler,
    sla,
  };
  /** Stores a customer with their identities (and cases), bypassing the use cases. */
  const seedCustomer = (customer: Customer = aCustomer(), ...cases: Case[]) => {
    db.customers.set(customer.id, structuredClone(customer));
    for (const identity of customer.identities) db.ownerByIdentity.set(identityKey(identity), customer.id);
    for (const c of cases) seedCase(c);
    return customer;
  };
  const seedCase = (c: Case = aCase({ status: 'open', channel: 'phone' })) => {
    db.cases.set(c.id, structuredClone(c));
    db.lastSequence = Math.max(db.lastSequence, Number(c.number.replace(/\D/g, '')));
    db.caseIdBySequence.set(Number(c.number.replace(/\D/g, '')), c.id);
    if (!db.timeline.has(c.id)) db.timeline.set(c.id, []);
    return c;
  };
  /** Stores a callback with its guard, as an earlier missed call left it. */
  const seedCallback = (callback: Callback = aCallback()) => {
    store.callbacks.set(callback.id, structuredClone(callback));
    if (callback.status === 'open' || callback.status === 'dialling') store.guards.set(callback.phone, callback.id);
    return callback;
  };
  const timelineOf = (caseId: string) => db.timeline.get(caseId) ?? [];
  const actionsOf = (caseId: string) => timelineOf(caseId).map((entry) => entry.action);
  return { deps, db, store, staff, dialler, clock, seedCustomer, seedCase, seedCallback, timelineOf, actionsOf };
}
