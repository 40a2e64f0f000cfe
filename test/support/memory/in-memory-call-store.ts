import type {
  CallCaseCommit,
  CallCaseStore,
  CallerDirectory,
  CallerRecord,
  CallIntakeState,
  CallLinkCommit,
  ContactRecord,
} from '#telephony/domain/call-ports';
import { isOpenForCalls } from '#telephony/domain/newest-open-case';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { identityKey } from '#customers/domain/customer-ports';
import type { InMemoryCasesDb } from './in-memory-cases-db.js';

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The calls side of the cases table in memory, over the same state as `InMemoryCasesDb`, with the
 * DynamoDB adapter's all-or-nothing commits and conditions; for unit tests of the call use cases.
 * It counts calls per method, and the DynamoDB requests each would cost by the adapter's design
 * (`findCallerByPhone`: a GetItem, then a Query only when the number has an owner).
 */
export class InMemoryCallStore implements CallerDirectory, CallCaseStore {
  readonly contacts = new Map<string, ContactRecord>();
  readonly calls = { findCallerByPhone: 0, readCallIntake: 0, commitCallCase: 0, commitCallLink: 0 };
  readonly requests = { reads: 0, writes: 0 };
  /** Runs before each commit; a test uses it to let a rival write slip in between read and commit. */
  beforeCommit: (() => void) | null = null;

  constructor(private readonly db: InMemoryCasesDb) {}

  async findCallerByPhone(phone: string, caseLimit: number): Promise<CallerRecord | null> {
    this.calls.findCallerByPhone += 1;
    this.requests.reads += 1;
    const customerId = this.db.ownerByIdentity.get(identityKey({ type: 'phone', value: phone }));
    if (!customerId) return null;
    this.requests.reads += 1;
    const customer = this.db.customers.get(customerId);
    const cases = [...this.db.cases.values()]
      .filter((c) => c.customerId === customerId)
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, caseLimit);
    return {
      customerId,
      profile: customer
        ? { id: customer.id, name: customer.name, preferredLanguage: customer.preferredLanguage, tier: customer.tier }
        : null,
      cases: cases.map((c) => ({ id: c.id, number: c.number, status: c.status, queue: c.queue, createdAt: c.createdAt })),
    };
  }

  async readCallIntake(contactId: string, phone: string): Promise<CallIntakeState> {
    this.calls.readCallIntake += 1;
    this.requests.reads += 1;
    const contact = this.contacts.get(contactId);
    return {
      contact: contact ? clone(contact) : null,
      lastCaseSequence: this.db.lastSequence,
      ownerId: this.db.ownerByIdentity.get(identityKey({ type: 'phone', value: phone })) ?? null,
    };
  }

  async commitCallCase(commit: CallCaseCommit): Promise<void> {
    this.calls.commitCallCase += 1;
    this.requests.writes += 1;
    this.beforeCommit?.();
    if (this.contacts.has(commit.contact.contactId)) throw new CommitConflict('duplicate');
    const [created, ...rest] = commit.timeline;
    if (!created) throw new Error('a case commit needs its case.created entry');
    // The cases db checks the counter and the identities and writes the case all or nothing.
    await this.db.commitOpenCase({ ...commit, timeline: created });
    this.db.timeline.get(commit.case.id)?.push(...clone(rest));
    this.contacts.set(commit.contact.contactId, clone(commit.contact));
  }

  async commitCallLink(commit: CallLinkCommit): Promise<void> {
    this.calls.commitCallLink += 1;
    this.requests.writes += 1;
    this.beforeCommit?.();
    if (this.contacts.has(commit.contact.contactId)) throw new CommitConflict('duplicate');
    const linked = this.db.cases.get(commit.caseId);
    if (commit.held) {
      if (!linked || linked.version !== commit.held.expectedVersion) throw new CommitConflict('version');
      this.db.cases.set(commit.caseId, clone(commit.held.case));
    } else if (!linked || !isOpenForCalls(linked.status)) {
      throw new CommitConflict('missing');
    }
    this.db.timeline.get(commit.caseId)?.push(clone(commit.timeline));
    this.contacts.set(commit.contact.contactId, clone(commit.contact));
  }
}
