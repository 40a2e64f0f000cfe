import type { Case } from '#cases/domain/case';
import type { TimelineEntry } from '#cases/domain/timeline';
import type { Customer, Identity } from '#customers/domain/customer';
import type { CaseMessage } from '#cases/domain/case-message';
import { canSeeCase, type CaseViewer } from '#cases/domain/case-access';
import { type AlongsideWrite, CommitConflict } from '#platform/domain/commit-conflict';
import {
  type CaseChangeCommit,
  type CaseQuery,
  type CaseStore,
  type IntakeState,
  type Note,
  type OpenCaseCommit,
} from '#cases/domain/case-ports';
import { type CustomerStore, identityKey } from '#customers/domain/customer-ports';
import { type Page, type PageRequest } from '#platform/domain/page';

const clone = <T>(value: T): T => structuredClone(value);

/** A write of another in-memory store that a commit of this one carries (see `AlongsideWrite`). */
export interface InMemoryWrite {
  /** True when the condition the write was built on no longer holds. */
  conflicts(): boolean;
  apply(): void;
}

const MEMORY_STORE = 'memory';

/** An in-memory write as another store's commit carries it. */
export function alongside(write: InMemoryWrite): AlongsideWrite {
  return { store: MEMORY_STORE, write };
}

function inMemoryWrites(writes: readonly AlongsideWrite[] = []): InMemoryWrite[] {
  return writes.map((write) => {
    if (write.store !== MEMORY_STORE) throw new Error(`an in-memory commit cannot carry a write of the ${write.store} store`);
    return write.write as InMemoryWrite;
  });
}

/**
 * The cases table's ports in memory, for unit tests of the use cases. It keeps the same
 * all-or-nothing commits and conditions as the DynamoDB adapter, and counts calls so tests can
 * check a use case's request budget.
 */
export class InMemoryCasesDb implements CaseStore, CustomerStore {
  lastSequence = 0;
  readonly cases = new Map<string, Case>();
  readonly caseIdBySequence = new Map<number, string>();
  readonly customers = new Map<string, Customer>();
  readonly ownerByIdentity = new Map<string, string>();
  readonly timeline = new Map<string, TimelineEntry[]>();
  readonly notes = new Map<string, Note[]>();
  readonly calls = { reads: 0, writes: 0 };
  /** Runs before each commit; a test uses it to let a rival write slip in between read and commit. */
  beforeCommit: (() => void) | null = null;

  async readIntakeState(identities: readonly Identity[]): Promise<IntakeState> {
    this.calls.reads += 1;
    const ownerByIdentity = new Map<string, string>();
    for (const identity of identities) {
      const owner = this.ownerByIdentity.get(identityKey(identity));
      if (owner) ownerByIdentity.set(identityKey(identity), owner);
    }
    return { lastCaseSequence: this.lastSequence, ownerByIdentity };
  }

  async commitOpenCase(commit: OpenCaseCommit): Promise<void> {
    this.calls.writes += 1;
    this.beforeCommit?.();
    if (this.lastSequence !== commit.expectedLastSequence) throw new CommitConflict('sequence');
    const claimed = commit.createCustomer ? commit.customer.identities : commit.claimIdentities;
    if (claimed.some((identity) => this.ownerByIdentity.has(identityKey(identity)))) throw new CommitConflict('identity');
    if (commit.createCustomer === this.customers.has(commit.customer.id)) throw new CommitConflict('identity');

    this.lastSequence += 1;
    this.cases.set(commit.case.id, clone(commit.case));
    this.caseIdBySequence.set(this.lastSequence, commit.case.id);
    this.timeline.set(commit.case.id, [clone(commit.timeline)]);
    for (const identity of claimed) this.ownerByIdentity.set(identityKey(identity), commit.customer.id);
    this.customers.set(commit.customer.id, clone(commit.customer));
  }

  async getCase(id: string): Promise<Case | null> {
    this.calls.reads += 1;
    const found = this.cases.get(id);
    return found ? clone(found) : null;
  }

  readonly messages = new Map<string, CaseMessage[]>();

  async getCaseWithMessages(id: string, messageLimit: number): Promise<{ case: Case; messages: Page<CaseMessage> } | null> {
    const found = await this.getCase(id);
    return found ? { case: found, messages: await this.listMessages(id, { limit: messageLimit }) } : null;
  }

  async getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null> {
    this.calls.reads += 1;
    const found = (this.messages.get(caseId) ?? []).find((message) => message.id === messageItemId);
    return found ? clone(found) : null;
  }

  async listMessages(caseId: string, page: PageRequest): Promise<Page<CaseMessage>> {
    this.calls.reads += 1;
    const newestFirst = [...(this.messages.get(caseId) ?? [])].sort((a, b) => b.id.localeCompare(a.id));
    const found = paginate(newestFirst, page, (message) => message.id);
    return { items: clone(found.items).reverse(), nextCursor: found.nextCursor };
  }

  async findCaseIdBySequence(sequence: number): Promise<string | null> {
    this.calls.reads += 1;
    return this.caseIdBySequence.get(sequence) ?? null;
  }

  async listCases(query: CaseQuery): Promise<Page<Case>> {
    this.calls.reads += 1;
    const matching = [...this.cases.values()]
      .filter(
        (c) =>
          (!query.status || c.status === query.status) &&
          (!query.queue || c.queue === query.queue) &&
          (!query.assigneeId || c.assigneeId === query.assigneeId) &&
          (!query.customerId || c.customerId === query.customerId) &&
          (!query.priority || c.priority === query.priority) &&
          (!query.viewer || canSeeCase(query.viewer, c)),
      )
      .sort((a, b) => b.id.localeCompare(a.id));
    return paginate(matching, query, (c) => c.id);
  }

  async commitCaseChange(commit: CaseChangeCommit): Promise<void> {
    this.calls.writes += 1;
    this.beforeCommit?.();
    const stored = this.cases.get(commit.case.id);
    if (!stored || stored.version !== commit.expectedVersion) throw new CommitConflict('version');
    const writes = inMemoryWrites(commit.alongside);
    if (writes.some((write) => write.conflicts())) throw new CommitConflict('dependent');
    this.cases.set(commit.case.id, clone(commit.case));
    this.timeline.get(commit.case.id)?.push(...clone(commit.timeline));
    for (const write of writes) write.apply();
  }

  async addNote(note: Note, entry: TimelineEntry): Promise<void> {
    this.calls.writes += 1;
    if (!this.cases.has(note.caseId)) throw new CommitConflict('missing');
    this.notes.set(note.caseId, [...(this.notes.get(note.caseId) ?? []), clone(note)]);
    this.timeline.get(note.caseId)?.push(clone(entry));
  }

  async listTimeline(caseId: string, page: PageRequest): Promise<Page<TimelineEntry>> {
    this.calls.reads += 1;
    return paginate(this.timeline.get(caseId) ?? [], page, (entry) => entry.id);
  }

  async getCustomer(id: string): Promise<Customer | null> {
    this.calls.reads += 1;
    const found = this.customers.get(id);
    return found ? clone(found) : null;
  }

  async getCustomerWithCases(
    id: string,
    page: PageRequest,
    viewer?: CaseViewer,
  ): Promise<{ customer: Customer; cases: Page<Case> } | null> {
    const customer = await this.getCustomer(id);
    if (!customer) return null;
    return { customer, cases: await this.listCases({ customerId: id, viewer, ...page }) };
  }

  async countCasesHiddenFrom(customerId: string, viewer: CaseViewer): Promise<number> {
    return [...this.cases.values()].filter((c) => c.customerId === customerId && !canSeeCase(viewer, c)).length;
  }

  async findCustomerIdByIdentity(identity: Identity): Promise<string | null> {
    this.calls.reads += 1;
    return this.ownerByIdentity.get(identityKey(identity)) ?? null;
  }
}

/** Pages an ordered list; the cursor is the id of the last item returned. */
function paginate<T>(ordered: T[], page: PageRequest, idOf: (item: T) => string): Page<T> {
  const start = page.cursor ? ordered.findIndex((item) => idOf(item) === page.cursor) + 1 : 0;
  const items = ordered.slice(start, start + page.limit).map(clone);
  const last = items.at(-1);
  return { items, nextCursor: last && start + page.limit < ordered.length ? idOf(last) : null };
}
