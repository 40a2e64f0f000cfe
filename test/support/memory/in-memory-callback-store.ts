import { type Callback, type CallbackStatus, isUnfinished } from '#telephony/domain/callback';
import {
  CALL_STATS,
  type CallbackCommit,
  type CallbackStore,
  type CallStat,
  type ContactFacts,
  type HandledContactEvent,
  type HourStats,
} from '#telephony/domain/callback-ports';
import { type AlongsideWrite, CommitConflict } from '#platform/domain/commit-conflict';
import { identityKey } from '#customers/domain/customer-ports';
import { type Page, type PageRequest } from '#platform/domain/page';
import { alongside, type InMemoryCasesDb } from './in-memory-cases-db.js';

const clone = <T>(value: T): T => structuredClone(value);

/** When several conditions fail at once, the most telling reason wins, as in the DynamoDB adapter. */
const PRECEDENCE: CommitConflict['reason'][] = ['duplicate', 'missing', 'sequence', 'identity', 'version'];

/**
 * Callbacks, contact records and the missed-call counters in memory, over the same cases as
 * `InMemoryCasesDb`, with the DynamoDB adapter's conditions and all-or-nothing commits: the handled
 * record of an event only once ('duplicate'), a callback only at its version, the one-per-number
 * guard only when free (or held by the finished callback named), a new case only with the next
 * number and free identities.
 */
export class InMemoryCallbackStore implements CallbackStore {
  readonly callbacks = new Map<string, Callback>();
  /** Phone → the id of its unfinished callback. */
  readonly guards = new Map<string, string>();
  /** ContactId → the case a contact flow linked it to (the contact-flow functions' `CONTACT#` record). */
  readonly linkedContacts = new Map<string, { caseId: string; customerId: string | null }>();
  /** ContactId → the callback attempt that dialled it. */
  readonly dialledContacts = new Map<string, { callbackId: string; attempt: number }>();
  /** `<contactId>#<eventType>` → the record that the event was handled. */
  readonly handled = new Map<string, HandledContactEvent>();
  /** Hour (`YYYY-MM-DDTHH`) → counters. */
  readonly stats = new Map<string, Record<CallStat, number>>();
  readonly calls = { commits: 0, failedCommits: 0, listDue: 0 };
  /** Runs (and is awaited) before each commit; a test uses it to let a rival write slip in between read and commit. */
  beforeCommit: ((commit: CallbackCommit) => void | Promise<void>) | null = null;

  constructor(private readonly db: InMemoryCasesDb) {}

  async readContact(contact: { contactId: string; relatedContactIds: readonly string[]; eventType: string }): Promise<ContactFacts> {
    const link = [contact.contactId, ...contact.relatedContactIds].map((id) => this.linkedContacts.get(id)).find(Boolean);
    const dialled = this.dialledContacts.get(contact.contactId);
    return {
      linkedCase: link ? clone(link) : null,
      dialled: dialled ? clone(dialled) : null,
      handled: this.handled.has(`${contact.contactId}#${contact.eventType}`),
    };
  }

  async getCallback(id: string): Promise<Callback | null> {
    const found = this.callbacks.get(id);
    return found ? clone(found) : null;
  }

  async findOpenCallback(phone: string): Promise<{ callback: Callback | null; guardOf: string | null }> {
    const guardOf = this.guards.get(phone) ?? null;
    const callback = guardOf ? this.callbacks.get(guardOf) : undefined;
    return { callback: callback && isUnfinished(callback) ? clone(callback) : null, guardOf };
  }

  async listDue(now: string, limitPerRank: number): Promise<Callback[]> {
    this.calls.listDue += 1;
    // The due index: unfinished callbacks keyed `<rank>#<nextAttemptAt>#<id>`, read per rank up to now.
    const key = (c: Callback) => `${c.priorityRank}#${c.nextAttemptAt}#${c.id}`;
    const due = [...this.callbacks.values()]
      .filter((c) => isUnfinished(c) && c.nextAttemptAt !== null && c.nextAttemptAt <= now)
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const ranks = [...new Set(due.map((c) => c.priorityRank))];
    return ranks.flatMap((rank) => due.filter((c) => c.priorityRank === rank).slice(0, limitPerRank)).map(clone);
  }

  async listCallbacks(query: PageRequest & { status?: CallbackStatus | undefined }): Promise<Page<Callback>> {
    const ordered = [...this.callbacks.values()]
      .filter((c) => !query.status || c.status === query.status)
      .sort((a, b) => b.id.localeCompare(a.id));
    const start = query.cursor ? ordered.findIndex((c) => c.id === query.cursor) + 1 : 0;
    const items = ordered.slice(start, start + query.limit).map(clone);
    const last = items.at(-1);
    return { items, nextCursor: last && start + query.limit < ordered.length ? last.id : null };
  }

  async readStats(fromHour: string, toHour: string): Promise<HourStats[]> {
    return [...this.stats.entries()]
      .filter(([hour]) => hour >= fromHour && hour <= toHour)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([hour, counts]) => ({ hour, counts: clone(counts) }));
  }

  async listUnfinishedOfCase(caseId: string): Promise<Callback[]> {
    return [...this.callbacks.values()].filter((c) => c.caseId === caseId && isUnfinished(c)).map(clone);
  }

  writesOf(commit: CallbackCommit): AlongsideWrite[] {
    return [alongside({ conflicts: () => this.failedConditions(commit).length > 0, apply: () => this.apply(commit) })];
  }

  async commit(commit: CallbackCommit): Promise<void> {
    this.calls.commits += 1;
    await this.beforeCommit?.(commit);
    const reasons = this.failedConditions(commit);
    if (reasons.length > 0) {
      this.calls.failedCommits += 1;
      throw new CommitConflict(PRECEDENCE.find((reason) => reasons.includes(reason)) ?? 'version');
    }
    this.apply(commit);
  }

  private apply(commit: CallbackCommit): void {
    if (commit.handled) this.handled.set(`${commit.handled.contactId}#${commit.handled.eventType}`, clone(commit.handled));
    if (commit.callback) this.callbacks.set(commit.callback.callback.id, clone(commit.callback.callback));
    if (commit.guard?.action === 'claim') this.guards.set(commit.guard.phone, commit.guard.callbackId);
    if (commit.guard?.action === 'release') this.guards.delete(commit.guard.phone);
    if (commit.dialledContact)
      this.dialledContacts.set(commit.dialledContact.contactId, {
        callbackId: commit.dialledContact.callbackId,
        attempt: commit.dialledContact.attempt,
      });
    if (commit.newCase) {
      const { case: c, customer, createCustomer, claimIdentities, timeline } = commit.newCase;
      this.db.lastSequence += 1;
      this.db.cases.set(c.id, clone(c));
      this.db.caseIdBySequence.set(this.db.lastSequence, c.id);
      this.db.timeline.set(c.id, [clone(timeline)]);
      for (const identity of createCustomer ? customer.identities : claimIdentities)
        this.db.ownerByIdentity.set(identityKey(identity), customer.id);
      this.db.customers.set(customer.id, clone(customer));
    }
    for (const entry of commit.timeline ?? [])
      this.db.timeline.set(entry.caseId, [...(this.db.timeline.get(entry.caseId) ?? []), clone(entry)]);
    for (const { note, timeline } of commit.notes ?? []) {
      this.db.notes.set(note.caseId, [...(this.db.notes.get(note.caseId) ?? []), clone(note)]);
      this.db.timeline.set(note.caseId, [...(this.db.timeline.get(note.caseId) ?? []), clone(timeline)]);
    }
    for (const message of commit.messages ?? [])
      this.db.messages.set(message.caseId, [...(this.db.messages.get(message.caseId) ?? []), clone(message)]);
    for (const { hour, counts } of commit.stats ?? []) {
      const current = this.stats.get(hour) ?? (Object.fromEntries(CALL_STATS.map((stat) => [stat, 0])) as Record<CallStat, number>);
      for (const stat of CALL_STATS) current[stat] += counts[stat] ?? 0;
      this.stats.set(hour, current);
    }
  }

  private failedConditions(commit: CallbackCommit): CommitConflict['reason'][] {
    const reasons: CommitConflict['reason'][] = [];
    if (commit.handled && this.handled.has(`${commit.handled.contactId}#${commit.handled.eventType}`)) reasons.push('duplicate');
    if ((commit.messages ?? []).some((message) => (this.db.messages.get(message.caseId) ?? []).some((stored) => stored.id === message.id)))
      reasons.push('duplicate');
    if (commit.callback) {
      const stored = this.callbacks.get(commit.callback.callback.id);
      const ok = commit.callback.expectedVersion === 0 ? stored === undefined : stored?.version === commit.callback.expectedVersion;
      if (!ok) reasons.push('version');
    }
    if (commit.guard) {
      const holder = this.guards.get(commit.guard.phone);
      const ok =
        commit.guard.action === 'claim'
          ? holder === undefined || (commit.guard.replacing !== null && holder === commit.guard.replacing)
          : holder === undefined || holder === commit.guard.callbackId;
      if (!ok) reasons.push('version');
    }
    if (commit.newCase) {
      const { customer, createCustomer, claimIdentities, expectedLastSequence } = commit.newCase;
      if (this.db.lastSequence !== expectedLastSequence) reasons.push('sequence');
      const claimed = createCustomer ? customer.identities : claimIdentities;
      if (claimed.some((identity) => this.db.ownerByIdentity.has(identityKey(identity)))) reasons.push('identity');
      if (createCustomer === this.db.customers.has(customer.id)) reasons.push('identity');
    }
    return reasons;
  }
}
