import type { Case } from '#cases';
import type { TimelineEntry } from '#cases';
import type { Customer } from '#customers';
import type { OpenCaseCommit } from '#cases';

/** What a caller lookup needs of a customer profile. */
export type CallerProfile = Pick<Customer, 'id' | 'name' | 'preferredLanguage' | 'tier'>;

/** What a caller lookup needs of a case. */
export type CallerCase = Pick<Case, 'id' | 'number' | 'status' | 'queue' | 'createdAt'>;

/** The customer who owns a phone number, with their newest cases. */
export interface CallerRecord {
  customerId: string;
  /**
   * The profile; null when the number's owner is known but the profile could not be read in the
   * same request (in AWS the customer index lags its table by up to about a second, so a customer
   * created a moment ago may not be listed yet).
   */
  profile: CallerProfile | null;
  /** The newest cases first, at most the number asked for. */
  cases: CallerCase[];
}

/** Who is calling: the customers by phone number, read fast enough for a contact flow. */
export interface CallerDirectory {
  /**
   * The customer who owns an E.164 phone number and up to `caseLimit` of their newest cases, in at
   * most two read requests (one when nobody owns the number). Null when nobody owns it.
   */
  findCallerByPhone(phone: string, caseLimit: number): Promise<CallerRecord | null>;
}

/**
 * What a contact (one Amazon Connect ContactId) became: the case it opened or was linked to. Stored
 * once per contact, so a repeated invocation for the same contact answers the same.
 */
export interface ContactRecord {
  contactId: string;
  caseId: string;
  caseNumber: string;
  customerId: string;
  /** True when the contact was linked to a case that was already open, false when it opened one. */
  linked: boolean;
  at: string;
}

/** What handling a call must read first, in one request. */
export interface CallIntakeState {
  /** The contact's record when an earlier invocation for the same contact already handled it. */
  contact: ContactRecord | null;
  lastCaseSequence: number;
  /** The customer who owns the caller's number, or null. */
  ownerId: string | null;
}

/** A case opened by a call: everything opening a case writes, its audit entries and the contact's record. */
export interface CallCaseCommit extends Omit<OpenCaseCommit, 'timeline'> {
  timeline: TimelineEntry[];
  contact: ContactRecord;
}

/** A call linked to an open case: the audit entry and the contact's record. */
export interface CallLinkCommit {
  caseId: string;
  timeline: TimelineEntry;
  contact: ContactRecord;
  /**
   * The case held out of Switchboard routing while Connect routes the call (it needed an agent):
   * written only if still at `expectedVersion`. Null: the case is only linked.
   */
  held: { case: Case; expectedVersion: number } | null;
}

/** Persistence of calls on cases (the cases table). */
export interface CallCaseStore {
  /** One read request: the contact's record, the case counter and the owner of the phone number. */
  readCallIntake(contactId: string, phone: string): Promise<CallIntakeState>;
  /**
   * One write request: the case as `CaseStore.commitOpenCase` writes it, with the contact's record.
   * @throws CommitConflict 'duplicate' when the contact already has a record, 'sequence' or
   * 'identity' when what was read went stale.
   */
  commitCallCase(commit: CallCaseCommit): Promise<void>;
  /**
   * One write request, only while the case exists and is still open for calls (and, when it is
   * held, still at the version read).
   * @throws CommitConflict 'duplicate' when the contact already has a record, 'missing' when the
   * case is gone or no longer open for calls, 'version' when a held case changed since it was read.
   */
  commitCallLink(commit: CallLinkCommit): Promise<void>;
}
