import type { SlaFlag } from '#cases/domain/case';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { BusinessCalendar } from '#sla/domain/business-calendar';
import type { CaseSla } from '#sla/domain/sla-clock';
import type { SlaDefaults, StoredSlaConfig } from '#sla/domain/sla-config';
import { DEMO_SLA_DEFAULTS } from '../demo-settings.js';
import type { SlaPolicy, Versioned } from '#sla/domain/sla-policy';
import type { SlaCommit, SlaStore } from '#sla/domain/sla-ports';
import type { InMemoryCasesDb } from './in-memory-cases-db.js';

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The SLA side of the cases table in memory, over the same cases as `InMemoryCasesDb`, with the
 * DynamoDB adapter's conditions: a record write only at the expected record version, a case change
 * in the same commit only at the case's expected version, all or nothing; a configuration document
 * only as the successor of the stored version.
 */
export class InMemorySlaStore implements SlaStore {
  readonly records = new Map<string, CaseSla>();
  readonly policies = new Map<string, Versioned<SlaPolicy>>();
  readonly calendars = new Map<string, Versioned<BusinessCalendar>>();
  /** Every stored version of every document, as the table keeps them (`kind#name#version`). */
  readonly configVersions = new Map<string, Versioned<unknown>>();
  readonly calls = { commits: 0, flags: 0 };
  /** Runs before each commit; a test uses it to let a rival write slip in between read and commit. */
  beforeCommit: (() => void) | null = null;

  /** The deployment's defaults (the demo scenario's unless a test gives others). */
  defaults: SlaDefaults = clone(DEMO_SLA_DEFAULTS);

  constructor(private readonly db: InMemoryCasesDb) {}

  async readConfig(): Promise<StoredSlaConfig> {
    return {
      defaults: clone(this.defaults),
      policies: clone([...this.policies.values()]),
      calendars: clone([...this.calendars.values()]),
    };
  }

  async getSla(caseId: string): Promise<CaseSla | null> {
    const found = this.records.get(caseId);
    return found ? clone(found) : null;
  }

  async getCaseAndSla(caseId: string) {
    const found = this.db.cases.get(caseId);
    return { case: found ? clone(found) : null, sla: await this.getSla(caseId) };
  }

  async commitSla(commit: SlaCommit): Promise<void> {
    this.calls.commits += 1;
    this.beforeCommit?.();
    // The most telling failed condition wins, as in the DynamoDB adapter's transaction.
    if (
      (commit.messages ?? []).some((message) => (this.db.messages.get(message.caseId) ?? []).some((stored) => stored.id === message.id))
    ) {
      throw new CommitConflict('duplicate');
    }
    const stored = this.records.get(commit.sla.caseId);
    const recordOk = commit.expectedVersion === 0 ? stored === undefined : stored?.version === commit.expectedVersion;
    const change = commit.caseChange;
    const caseOk = !change || this.db.cases.get(change.case.id)?.version === change.expectedVersion;
    if (!recordOk || !caseOk) throw new CommitConflict('version');

    this.records.set(commit.sla.caseId, clone(commit.sla));
    if (change) {
      this.db.cases.set(change.case.id, clone(change.case));
      this.db.timeline.set(change.case.id, [...(this.db.timeline.get(change.case.id) ?? []), ...clone(change.timeline)]);
    }
    for (const message of commit.messages ?? []) {
      this.db.messages.set(message.caseId, [...(this.db.messages.get(message.caseId) ?? []), clone(message)]);
    }
  }

  async setCaseFlag(caseId: string, flag: SlaFlag | null, expectedVersion: number): Promise<boolean> {
    this.calls.flags += 1;
    const found = this.db.cases.get(caseId);
    if (!found || found.version !== expectedVersion) return false;
    // As the DynamoDB update: the flag and the version only, `updatedAt` untouched.
    this.db.cases.set(caseId, { ...found, slaState: flag, version: expectedVersion + 1 });
    return true;
  }

  async listAtRisk(queue: string, limit: number): Promise<CaseSla[]> {
    // The at-risk index: records at risk in the queue, ordered by `${dueAt}#${caseId}`.
    const sortKey = (record: CaseSla) => `${record.atRisk?.dueAt ?? ''}#${record.caseId}`;
    return [...this.records.values()]
      .filter((record) => record.atRisk !== null && record.case.queue === queue)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
      .slice(0, limit)
      .map(clone);
  }

  async putPolicy(policy: Versioned<SlaPolicy>): Promise<void> {
    this.putDocument('POLICY', this.policies, policy);
  }

  async putCalendar(calendar: Versioned<BusinessCalendar>): Promise<void> {
    this.putDocument('CALENDAR', this.calendars, calendar);
  }

  /** The current version and its history entry together, only if the stored version is the one before. */
  private putDocument<T extends { name: string }>(
    kind: 'POLICY' | 'CALENDAR',
    current: Map<string, Versioned<T>>,
    document: Versioned<T>,
  ): void {
    const name = document.value.name;
    const stored = current.get(name);
    const ok = document.version === 1 ? stored === undefined : stored?.version === document.version - 1;
    const versionKey = `${kind}#${name}#${document.version}`;
    if (!ok || this.configVersions.has(versionKey)) throw new CommitConflict('version');
    current.set(name, clone(document));
    this.configVersions.set(versionKey, clone(document));
  }
}
