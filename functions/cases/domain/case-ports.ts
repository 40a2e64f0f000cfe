import type { Actor } from '#platform/domain/actor';
import type { AlongsideWrite } from '#platform/domain/commit-conflict';
import type { Page, PageRequest } from '#platform/domain/page';
import type { Case, CaseStatus, Priority } from './case.js';
import type { TimelineEntry } from './timeline.js';
import type { Customer, Identity } from '#customers';
import type { CaseMessage } from './case-message.js';
import type { CaseViewer } from './case-access.js';
import type { CaseContentItem, MergeJob } from './merge.js';

/** Filters of the case list; every combination is served by an index query. */
export interface CaseQuery extends PageRequest {
  /** Whose list it is: cases the viewer may not see are left out (see `canSeeCase`); absent means all. */
  viewer?: CaseViewer | undefined;
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

/**
 * A customer's history: the profile with a page of their cases, newest first, in one request (the
 * customer's index partition holds both). A cases read, since it reads cases.
 */
export interface CustomerHistoryStore {
  /** With a viewer, only the cases they may see (see `canSeeCase`). */
  getCustomerWithCases(id: string, page: PageRequest, viewer?: CaseViewer): Promise<{ customer: Customer; cases: Page<Case> } | null>;
}

/** What a customer's history tells a viewer about the cases it leaves out. */
export interface HiddenCaseCounter {
  /** How many of the customer's cases the viewer may not see. */
  countCasesHiddenFrom(customerId: string, viewer: CaseViewer): Promise<number>;
}

/** The queues each member of staff serves, as their profile lists them (the agents feature keeps it). */
export interface StaffQueues {
  /** Empty for someone without a profile. */
  queuesServedBy(agentId: string): Promise<readonly string[]>;
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

/** Persistence of cases, their notes and timelines (the cases table). */
export interface CaseStore {
  /** One read request: the case counter and the owners of the given identities. */
  readIntakeState(identities: readonly Identity[]): Promise<IntakeState>;
  /** One write request. @throws CommitConflict('sequence' | 'identity') when the read state went stale. */
  commitOpenCase(commit: OpenCaseCommit): Promise<void>;
  getCase(id: string): Promise<Case | null>;
  /** The case and its newest `messageLimit` messages (a page as `listMessages` returns it), read in parallel. */
  getCaseWithMessages(id: string, messageLimit: number): Promise<{ case: Case; messages: Page<CaseMessage> } | null>;
  /**
   * A case's messages walking back from the newest: each page holds the `limit` messages before the
   * cursor, oldest first, and the cursor of the ones before them (null at the first message).
   */
  listMessages(caseId: string, page: PageRequest): Promise<Page<CaseMessage>>;
  /** One message of a case by its item id, or null: one read, however long the case. */
  getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null>;
  /** The id of the case with a sequence number, or null. */
  findCaseIdBySequence(sequence: number): Promise<string | null>;
  listCases(query: CaseQuery): Promise<Page<Case>>;
  /** @throws CommitConflict('version') when the stored version is not the expected one. */
  commitCaseChange(commit: CaseChangeCommit): Promise<void>;
  /** Stores a note and its timeline entry. @throws CommitConflict('missing') when the case does not exist. */
  addNote(note: Note, timeline: TimelineEntry): Promise<void>;
  listTimeline(caseId: string, page: PageRequest): Promise<Page<TimelineEntry>>;
}

/** A page of the source case's content, as the store read it. */
export interface CaseContentPage {
  /** In sort-key order; `stored` is the item as the store keeps it, for the copy. */
  items: (CaseContentItem & { stored: Record<string, unknown> })[];
  /** True when the source holds items after the last one. */
  more: boolean;
}

/** The writes of a merge: the cases at once, then the content a page at a time (see `MergeJob`). */
export interface CaseMergeStore {
  /** Commits both cases, the audit entries and the new job, only if neither case changed since it was read. */
  commitMerge(commit: {
    source: Case;
    sourceVersion: number;
    target: Case;
    targetVersion: number;
    timeline: TimelineEntry[];
    job: MergeJob;
    alongside?: readonly AlongsideWrite[] | undefined;
  }): Promise<void>;
  getMergeJob(id: string): Promise<MergeJob | null>;
  /** Stores a job unless one exists (a merge interrupted before its job was stored). */
  createMergeJob(job: MergeJob): Promise<void>;
  /** Up to `limit` items of the source case's content (never the case item or its SLA record) after `after`. */
  readContentPage(sourceId: string, after: string | null, limit: number): Promise<CaseContentPage>;
  /**
   * Writes copies of the items into the target case (same ids, the target's case id) and points
   * their Message-IDs at the target. Safe to repeat: a copy overwrites the copy of a first attempt.
   */
  copyContent(targetId: string, items: CaseContentPage['items']): Promise<void>;
  /**
   * Deletes the copied items from the source and stores the job, in one transaction, only if the
   * job is still at `expectedVersion`. @throws CommitConflict('version') when another run moved it on.
   */
  commitPage(job: MergeJob, expectedVersion: number, copied: CaseContentPage['items']): Promise<void>;
}

/** Where merge jobs wait for a worker: the API hands each new job over, the worker hands itself the next run. */
export interface MergeQueue {
  enqueue(mergeId: string, delaySeconds: number): Promise<void>;
}
