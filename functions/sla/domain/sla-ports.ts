import type { Case, SlaFlag } from '#cases';
import type { TimelineEntry } from '#cases';
import type { CaseMessage } from '#cases';
import type { BusinessCalendar } from './business-calendar.js';
import type { CaseSla } from './sla-clock.js';
import type { StoredSlaConfig } from './sla-config.js';
import type { Milestone, SlaPolicy, Versioned } from './sla-policy.js';

/** An SLA record write, with the case change it implies (flag, escalation) in the same transaction. */
export interface SlaCommit {
  sla: CaseSla;
  /** The record's stored version; 0 when it must not exist yet. */
  expectedVersion: number;
  caseChange?: { case: Case; expectedVersion: number; timeline: TimelineEntry[] } | undefined;
  /** Outbound mail queued in the outbox with the change (escalation notices). */
  messages?: CaseMessage[] | undefined;
}

/** Persistence of SLA records and SLA configuration (the cases table). */
export interface SlaStore {
  /** Every stored policy and calendar, in one request. */
  readConfig(): Promise<StoredSlaConfig>;
  getSla(caseId: string): Promise<CaseSla | null>;
  /** A case and its SLA record, in one request. */
  getCaseAndSla(caseId: string): Promise<{ case: Case | null; sla: CaseSla | null }>;
  /** @throws CommitConflict('version') when the record or the case is not at the expected version. */
  commitSla(commit: SlaCommit): Promise<void>;
  /** Sets the case's SLA flag (a new case version) if the case is still at `expectedVersion`; false when it is not. */
  setCaseFlag(caseId: string, flag: SlaFlag | null, expectedVersion: number): Promise<boolean>;
  /** Records of a queue's cases at risk, most urgent (earliest due) first. */
  listAtRisk(queue: string, limit: number): Promise<CaseSla[]>;
  /** Stores a new version of a policy. @throws CommitConflict('version') when `version - 1` is not the stored version. */
  putPolicy(policy: Versioned<SlaPolicy>): Promise<void>;
  /** Stores a new version of a calendar. @throws CommitConflict('version') as `putPolicy`. */
  putCalendar(calendar: Versioned<BusinessCalendar>): Promise<void>;
}

/** What a timer execution is started with, and answers after each evaluation. */
export interface TimerInput {
  caseId: string;
  milestone: Milestone;
  cycle: number;
  generation: number;
  /** ISO instant to wake at. */
  wakeAt: string;
}

/** The clocks' timers (Step Functions executions), by deterministic name. */
export interface SlaTimers {
  /** Starts a timer; starting one that already exists with the same input is harmless. */
  start(name: string, input: TimerInput): Promise<void>;
  /** Stops a timer if it still runs; an unknown or finished one is fine. */
  stop(name: string): Promise<void>;
}

/** SLA events on the bus for other systems. */
export interface SlaEvent {
  type: 'sla.warning' | 'sla.breached' | 'sla.met';
  caseId: string;
  caseNumber: string;
  queue: string;
  priority: Case['priority'];
  milestone: Milestone;
  cycle: number;
  policy: string;
  dueAt: string | null;
  at: string;
  /** Breaches: 1, 2 for the second level; 0 for a clock met after its target (nothing escalated). */
  level?: number | undefined;
}

export interface SlaEventPublisher {
  publish(events: readonly SlaEvent[]): Promise<void>;
}
