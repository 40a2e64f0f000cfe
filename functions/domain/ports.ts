import type { Actor } from './actor.js';
import type { Agent, Presence } from './agents/agent.js';
import type { Case, CaseStatus, Priority } from './cases/case.js';
import type { TimelineEntry } from './cases/timeline.js';
import type { Customer, Identity } from './customers/customer.js';
import type { CaseMessage } from './email/case-message.js';

/** A page of results and the opaque cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** Filters of the case list; every combination is served by an index query. */
export interface CaseQuery extends PageRequest {
  status?: CaseStatus | undefined;
  queue?: string | undefined;
  assigneeId?: string | undefined;
  customerId?: string | undefined;
  priority?: Priority | undefined;
}

/** What opening a case must read first: the last case number and who owns the given identities. */
export interface IntakeState {
  lastCaseSequence: number;
  /** Customer id by identity key (see `identityKey`), for the identities that are taken. */
  ownerByIdentity: ReadonlyMap<string, string>;
}

/** A stable key for an identity, e.g. `email:anna@example.com`. */
export function identityKey(identity: Identity): string {
  return `${identity.type}:${identity.value}`;
}

/** Everything opening a case writes, committed all or nothing. */
export interface OpenCaseCommit {
  case: Case;
  timeline: TimelineEntry;
  /** The sequence read in `IntakeState`; the commit fails if another case took the next one. */
  expectedLastSequence: number;
  customer: Customer;
  /** True when the customer is new and must be created with all its identities. */
  createCustomer: boolean;
  /** Identities to claim for an existing customer (each must still be free). */
  claimIdentities: Identity[];
}

/**
 * A write another feature's store adds to a commit of this one, so both land in one transaction or
 * neither does. Only stores of one kind (DynamoDB, in memory) build and read it: to the domain it is
 * opaque. Its condition failing surfaces as `CommitConflict('dependent')`.
 */
export interface AlongsideWrite {
  /** The kind of store that built it; a store of another kind refuses it. */
  readonly store: string;
  readonly write: unknown;
}

/**
 * Work another feature keeps for a case only while it is open. Resolving or closing the case ends
 * it in the same transaction, so nothing goes on acting for a finished case.
 */
export interface CaseEndings {
  /** The writes (audit entries included) that end what `c` had open, read now and conditional on what was read. */
  endWith(c: Case, input: { at: string; actor: Actor }): Promise<AlongsideWrite[]>;
}

/** Nothing ends with a case: for tests that need no other feature. */
export const NO_CASE_ENDINGS: CaseEndings = { endWith: async () => [] };

/** A case change committed with its audit entries, only if nobody changed the case meanwhile. */
export interface CaseChangeCommit {
  case: Case;
  expectedVersion: number;
  timeline: TimelineEntry[];
  /** Writes of other features that must land with the change (see `CaseEndings`). */
  alongside?: readonly AlongsideWrite[] | undefined;
}

/** An internal note on a case: visible to staff only. */
export interface Note {
  id: string;
  caseId: string;
  body: string;
  authorId: string;
  createdAt: string;
}

/** Why a commit was refused; the use case decides whether to read again and retry. */
export class CommitConflict extends Error {
  constructor(readonly reason: 'sequence' | 'identity' | 'version' | 'missing' | 'duplicate' | 'dependent') {
    super(`commit refused: ${reason}`);
    this.name = 'CommitConflict';
  }
}

/** Persistence of cases, their notes and timelines (the cases table). */
export interface CaseStore {
  /** One read request: the case counter and the owners of the given identities. */
  readIntakeState(identities: readonly Identity[]): Promise<IntakeState>;
  /** One write request. @throws CommitConflict('sequence' | 'identity') when the read state went stale. */
  commitOpenCase(commit: OpenCaseCommit): Promise<void>;
  getCase(id: string): Promise<Case | null>;
  /** The case and its messages, oldest first, in one request. */
  getCaseWithMessages(id: string): Promise<{ case: Case; messages: CaseMessage[] } | null>;
  /** The id of the case with a sequence number, or null. */
  findCaseIdBySequence(sequence: number): Promise<string | null>;
  listCases(query: CaseQuery): Promise<Page<Case>>;
  /** @throws CommitConflict('version') when the stored version is not the expected one. */
  commitCaseChange(commit: CaseChangeCommit): Promise<void>;
  /** Stores a note and its timeline entry. @throws CommitConflict('missing') when the case does not exist. */
  addNote(note: Note, timeline: TimelineEntry): Promise<void>;
  listTimeline(caseId: string, page: PageRequest): Promise<Page<TimelineEntry>>;
}

/** The writes of a merge; the last two are safe to repeat, so an interrupted merge can run again. */
export interface CaseMergeStore {
  /** Commits both cases and the audit entries, only if neither changed since it was read. */
  commitMerge(commit: {
    source: Case;
    sourceVersion: number;
    target: Case;
    targetVersion: number;
    timeline: TimelineEntry[];
    alongside?: readonly AlongsideWrite[] | undefined;
  }): Promise<void>;
  /**
   * Copies the source case's messages, notes and timeline (but its `case.merged_into` entry) into
   * the target case (same ids, the target's case id) and points the source's Message-IDs at the
   * target. @returns how many items were copied.
   */
  copyCaseContent(sourceId: string, targetId: string): Promise<number>;
  /** Removes what was copied from the source, keeping its `case.merged_into` entry. */
  removeCopiedContent(sourceId: string): Promise<void>;
}

/** Persistence of customers and their identities (the cases table). */
export interface CustomerStore {
  getCustomer(id: string): Promise<Customer | null>;
  /** The customer and a page of their cases, newest first, in one request. */
  getCustomerWithCases(id: string, page: PageRequest): Promise<{ customer: Customer; cases: Page<Case> } | null>;
  findCustomerIdByIdentity(identity: Identity): Promise<string | null>;
}

/** An agent with the live load routing holds on their capacity. */
export type AgentWithLoad = Agent & { load: number };

/** Persistence of staff (the agent-state table). */
export interface AgentStore {
  /** Every member of staff with their live load, in one request. */
  listAgents(): Promise<AgentWithLoad[]>;
  getAgent(id: string): Promise<AgentWithLoad | null>;
  /** Writes a profile, and the live state's capacity and presence, without touching the load. */
  putAgent(agent: Agent): Promise<void>;
  /** Sets presence on the profile and the live state together. */
  setPresence(agentId: string, presence: Presence, at: string): Promise<void>;
}

/** Tells the language of a text, as an ISO 639-1 code (`pl`, `en`, `de`, …), or null when unsure. */
export interface LanguageDetector {
  detect(text: string): string | null;
}
