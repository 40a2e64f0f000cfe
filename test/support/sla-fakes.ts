import { InMemoryAgentStore } from './memory/in-memory-agent-store.js';
import { InMemoryCasesDb } from './memory/in-memory-cases-db.js';
import { InMemorySlaStore } from './memory/in-memory-sla-store.js';
import type { Case } from '#cases/domain/case';
import { type CaseEvent, transition } from '#cases/domain/transition';
import { advanceSla } from '#sla/domain/advance-sla';
import type { CaseSla, MilestoneClock } from '#sla/domain/sla-clock';
import { SlaConfig, type SlaSettings, type StoredSlaConfig } from '#sla/domain/sla-config';
import { type Milestone, type SlaPolicy, type Versioned } from '#sla/domain/sla-policy';
import type { SlaEvent, SlaEventPublisher, SlaTimers, TimerInput } from '#sla/domain/sla-ports';
import type { SlaEscalationDeps, SlaRelayDeps } from '#sla/use-cases/deps';
import { aCase } from './builders.js';
import { FakeClock, SequentialIds } from './fakes.js';
import { DEMO_MAIL_SETTINGS, DEMO_QUEUES, DEMO_SLA_DEFAULTS, DEMO_SLA_POLICIES } from './demo-settings.js';

/** The demo deployment's SLA settings: the default queues with their calendars, real time (scale 1). */
export const SLA_SETTINGS: SlaSettings = { queues: DEMO_QUEUES, timeScale: 1 };

/** When `aCase()` is created: Monday 2026-11-23 08:00 UTC, 09:00 in Warsaw (CET, UTC+1). */
export const CREATED_AT = '2026-11-23T08:00:00.000Z';

export const MINUTE_MS = 60_000;

/** Epoch ms of an ISO instant. */
export const ms = (iso: string): number => Date.parse(iso);

/** A timer start as the relay asked for it. */
export interface StartedTimer {
  name: string;
  input: TimerInput;
}

/** The clocks' timers, kept as calls in order instead of Step Functions executions. */
export class RecordingSlaTimers implements SlaTimers {
  readonly started: StartedTimer[] = [];
  readonly stopped: string[] = [];

  async start(name: string, input: TimerInput): Promise<void> {
    this.started.push({ name, input: structuredClone(input) });
  }

  async stop(name: string): Promise<void> {
    this.stopped.push(name);
  }
}

/** SLA events, kept batch by batch instead of put on the event bus. */
export class RecordingSlaEvents implements SlaEventPublisher {
  readonly batches: SlaEvent[][] = [];

  /** Every event published, in order, across batches. */
  get events(): SlaEvent[] {
    return this.batches.flat();
  }

  async publish(events: readonly SlaEvent[]): Promise<void> {
    this.batches.push(structuredClone([...events]));
  }
}

/**
 * Every SLA use case's dependencies in memory: the cases, the SLA store over them, the staff, a fake
 * clock standing at `now`, predictable ids, recording timers and events.
 */
export function slaDeps(now = CREATED_AT) {
  const db = new InMemoryCasesDb();
  const sla = new InMemorySlaStore(db);
  const agents = new InMemoryAgentStore();
  const clock = new FakeClock(ms(now));
  const timers = new RecordingSlaTimers();
  const events = new RecordingSlaEvents();
  const deps: SlaEscalationDeps & SlaRelayDeps = {
    sla,
    clock,
    ids: new SequentialIds(),
    settings: SLA_SETTINGS,
    backoff: async () => undefined,
    agents,
    mailSettings: DEMO_MAIL_SETTINGS,
    timers,
    events,
  };
  /** Stores a case and its SLA record as they stand, bypassing the use cases. */
  const seed = (c: Case, record: CaseSla | null = null) => {
    db.cases.set(c.id, structuredClone(c));
    if (!db.timeline.has(c.id)) db.timeline.set(c.id, []);
    if (record) sla.records.set(c.id, structuredClone(record));
  };
  return { deps, db, sla, agents, clock, timers, events, seed };
}

/** A stored edit of a built-in policy (version 1), e.g. `standard` with `pauseOnHold`. */
export function editedPolicy(name: string, changes: Partial<SlaPolicy>): Versioned<SlaPolicy> {
  const builtIn = DEMO_SLA_POLICIES.find((policy) => policy.name === name);
  if (!builtIn) throw new Error(`no built-in policy ${name}`);
  return { value: { ...builtIn, ...changes }, version: 1, updatedAt: CREATED_AT, updatedBy: 'admin-1' };
}

/** The SLA configuration in force: the demo's defaults, overlaid by the given stored documents. */
export function slaConfig(stored: Partial<StoredSlaConfig> = {}): SlaConfig {
  return new SlaConfig({
    defaults: stored.defaults ?? DEMO_SLA_DEFAULTS,
    policies: stored.policies ?? [],
    calendars: stored.calendars ?? [],
  });
}

/** The clock of a milestone in a record; fails the test when there is none. */
export function clockOf(record: CaseSla | null, milestone: Milestone): MilestoneClock {
  const clock = record?.clocks.find((candidate) => candidate.milestone === milestone);
  if (!clock) throw new Error(`the record has no ${milestone} clock`);
  return clock;
}

/**
 * A case's life told step by step, each step a new version at an instant, the way the use cases
 * change it (lifecycle events through `transition`, replies and customer messages as `replyToCase`
 * and `receiveEmail` stamp them); `track` applies each version to the SLA record as the tracker does.
 */
export class CaseStory {
  current: Case;
  record: CaseSla | null = null;
  /** The record after each applied version, oldest first (unchanged versions leave no entry). */
  readonly records: CaseSla[] = [];

  constructor(
    overrides: Partial<Case> = {},
    readonly config: SlaConfig = slaConfig(),
    readonly settings: SlaSettings = SLA_SETTINGS,
  ) {
    this.current = aCase(overrides);
  }

  /** Applies the current version to the record; returns what `advanceSla` returned. */
  track(): CaseSla | null {
    const next = advanceSla(this.record, this.current, this.config, this.settings);
    if (next) {
      this.record = next;
      this.records.push(next);
    }
    return next;
  }

  /** A lifecycle event at `at`. */
  event(at: string, event: CaseEvent): this {
    return this.save(at, transition(this.current, event, new FakeClock(ms(at))));
  }

  /** Fields changed by hand at `at` (priority, queue, category…). */
  update(at: string, changes: Partial<Case>): this {
    return this.save(at, { ...this.current, ...changes });
  }

  /** An agent's reply at `at`; `awaitCustomer` moves the case to `pending` as the reply option does. */
  reply(at: string, options: { awaitCustomer?: boolean } = {}): this {
    const clock = new FakeClock(ms(at));
    const c = this.current;
    const moved =
      options.awaitCustomer && ['new', 'open', 'on_hold'].includes(c.status)
        ? transition(c, 'wait_on_customer', clock)
        : c.status === 'new'
          ? transition(c, 'open', clock)
          : c;
    return this.save(at, {
      ...moved,
      firstResponseAt: c.firstResponseAt ?? at,
      awaitingResponseSince: null,
      metrics: { ...moved.metrics, lastResponseAt: at },
    });
  }

  /** A person's message at `at`: a pending case goes back to the team, the oldest unanswered message counts. */
  customerMessage(at: string): this {
    const c = this.current;
    const moved = c.status === 'pending' ? transition(c, 'resume', new FakeClock(ms(at))) : c;
    return this.save(at, { ...moved, awaitingResponseSince: c.awaitingResponseSince ?? at });
  }

  private save(at: string, next: Case): this {
    this.current = { ...next, version: this.current.version + 1, updatedAt: at };
    return this;
  }
}
