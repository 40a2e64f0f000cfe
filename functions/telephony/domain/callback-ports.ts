import type { Presence, Skill } from '#agents';
import type { Case } from '#cases';
import type { TimelineEntry } from '#cases';
import type { Customer, Identity } from '#customers';
import type { CaseMessage } from '#cases';
import type { AlongsideWrite } from '#platform/domain/commit-conflict';
import type { Note } from '#cases';
import type { Page, PageRequest } from '#platform/domain/page';
import type { Callback, CallbackStatus } from './callback.js';

/** The counters of the missed-call report, per hour. */
export const CALL_STATS = ['missed', 'dialled', 'reached', 'failed'] as const;
export type CallStat = (typeof CALL_STATS)[number];

/** One hour's counters (`hour` = `YYYY-MM-DDTHH`, UTC). */
export interface HourStats {
  hour: string;
  counts: Record<CallStat, number>;
}

/** What the store knows about a contact before its event is handled. */
export interface ContactFacts {
  /**
   * The case the contact-flow function gave the contact (`CONTACT#<id>` written by
   * open-or-link-case), of the contact itself or, for a transferred contact, of the contact it came
   * from; null when no flow linked it.
   */
  linkedCase: { caseId: string; customerId: string | null } | null;
  /** The callback attempt that dialled this contact, when it is one of our outbound calls. */
  dialled: { callbackId: string; attempt: number } | null;
  /** True when this event (contact and event type) was handled before: a redelivery. */
  handled: boolean;
}

/** The record that a contact event was handled, written with what it changed (kept 90 days). */
export interface HandledContactEvent {
  contactId: string;
  eventType: string;
  eventId: string;
  /** What was done: `completed_call`, `missed_call`, `callback_reached`, … */
  outcome: string;
  caseId: string | null;
  callbackId: string | null;
  at: string;
}

/** A case opened for a missed call, written as every intake writes one. */
export interface NewCallCase {
  case: Case;
  timeline: TimelineEntry;
  customer: Customer;
  createCustomer: boolean;
  claimIdentities: Identity[];
  /** The case counter as read; the commit fails ('sequence') if another case took the next number. */
  expectedLastSequence: number;
}

/**
 * Everything one step of a callback or a contact event writes, all or nothing (one transaction).
 * Conflicts surface as `CommitConflict`: 'duplicate' when the event was handled before (stop),
 * 'version' when a callback or the guard changed since read, 'sequence' / 'identity' when a new
 * case's number or identity was taken (read again and retry).
 */
export interface CallbackCommit {
  /** The contact event this handles; it must not have been handled before. */
  handled?: HandledContactEvent | undefined;
  /** The callback at `expectedVersion` (0: it must not exist yet). */
  callback?: { callback: Callback; expectedVersion: number } | undefined;
  /**
   * The one-open-callback-per-number guard: `claim` with a new callback (the number must have no
   * open callback, or only the finished one named in `replacing`); `release` when it finishes.
   */
  guard?:
    | { action: 'claim'; phone: string; callbackId: string; replacing: string | null }
    | { action: 'release'; phone: string; callbackId: string }
    | undefined;
  /** An outbound contact Connect started for a callback attempt, so its events find the callback. */
  dialledContact?: { contactId: string; callbackId: string; attempt: number; at: string } | undefined;
  newCase?: NewCallCase | undefined;
  timeline?: TimelineEntry[] | undefined;
  /** Internal notes, each with its `note.added` audit entry. */
  notes?: { note: Note; timeline: TimelineEntry }[] | undefined;
  /** Outbound mail queued in the outbox. */
  messages?: CaseMessage[] | undefined;
  /** Report counters to add, per hour. */
  stats?: { hour: string; counts: Partial<Record<CallStat, number>> }[] | undefined;
}

/** Callbacks, contact facts and call statistics in the cases table. */
export interface CallbackStore {
  /** One read request: what is known of a contact (and the contacts it came from) and whether this event was handled. */
  readContact(contact: { contactId: string; relatedContactIds: readonly string[]; eventType: string }): Promise<ContactFacts>;
  getCallback(id: string): Promise<Callback | null>;
  /** The unfinished callback of a phone number (through the guard), or null; two reads at most. */
  findOpenCallback(phone: string): Promise<{ callback: Callback | null; guardOf: string | null }>;
  /**
   * Unfinished callbacks whose `nextAttemptAt` is at or before `now`, per priority rank (lowest
   * first), each rank's at most `limitPerRank`, soonest due first within a rank.
   */
  listDue(now: string, limitPerRank: number): Promise<Callback[]>;
  /**
   * The unfinished (open or dialling) callbacks that follow a case: one index query, eventually
   * consistent, so a callback created in the last moment may be missing (the dispatcher checks the
   * case before every dial).
   */
  listUnfinishedOfCase(caseId: string): Promise<Callback[]>;
  /** Callbacks newest first, of one status or all. */
  listCallbacks(query: PageRequest & { status?: CallbackStatus | undefined }): Promise<Page<Callback>>;
  /** Hour counters from `fromHour` to `toHour` inclusive (`YYYY-MM-DDTHH`); hours without calls are absent. */
  readStats(fromHour: string, toHour: string): Promise<HourStats[]>;
  /** @throws CommitConflict (see `CallbackCommit`). */
  commit(commit: CallbackCommit): Promise<void>;
  /** The commit's writes, for another store's transaction to carry (see `AlongsideWrite`) instead of committing them here. */
  writesOf(commit: CallbackCommit): AlongsideWrite[];
}

/** A member of staff as the callback dispatcher and the contact events see them. */
export interface CallbackAgent {
  id: string;
  queues: string[];
  skills: Skill[];
  presence: Presence;
  /** True while Connect reports a contact of the agent's (ringing, connected, on hold). */
  onContact: boolean;
  /** The agent's Connect ARN, once an agent event named it. */
  connectAgentArn: string | null;
}

/** The staff with their live state (the agent-state table), in one query. */
export interface CallbackStaff {
  listAgents(): Promise<CallbackAgent[]>;
}

/** A call to place through Amazon Connect. */
export interface DialRequest {
  /** E.164. */
  phone: string;
  /** The Connect queue the call is put in (its caller ID is shown). */
  connectQueueId: string;
  /** Connect's idempotency token: the same token never rings twice (see `dialToken`). */
  clientToken: string;
  /** Contact attributes, readable in the flow and in the contact's record. */
  attributes: { caseId: string; callbackId: string; attempt: string };
}

export type DialResult =
  | { kind: 'started'; contactId: string }
  /** Connect refused the call for good (an invalid or barred number, a bad request): retrying the same call cannot help. */
  | { kind: 'refused'; reason: string };

/** Places outbound calls. Throws on passing failures (throttling, service faults, the network). */
export interface OutboundDialler {
  dial(request: DialRequest): Promise<DialResult>;
}
