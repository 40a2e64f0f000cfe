import type { Actor } from '#platform/domain/actor';

/** One field's change, as the audit trail keeps it. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** An entry of a case's audit trail: who did what, when, and what changed. */
export interface TimelineEntry {
  id: string;
  caseId: string;
  at: string;
  actor: { kind: Actor['kind']; id: string };
  /** What happened, e.g. `case.created`, `case.updated`, `note.added`. */
  action: string;
  changes: FieldChange[];
  /** Extra facts about the action (a note's id, a reason). */
  data?: Record<string, unknown>;
}

const AUDITED_FIELDS = [
  'status',
  'priority',
  'category',
  'queue',
  'language',
  'assigneeId',
  'tags',
  'customFields',
  'connectCallInProgress',
] as const;

/** JSON with object keys sorted, so that `{a,b}` and `{b,a}` compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The audited fields that differ between two versions of a case, in a stable order. */
export function diffCase<T extends Record<(typeof AUDITED_FIELDS)[number], unknown>>(before: T, after: T): FieldChange[] {
  return AUDITED_FIELDS.filter((field) => canonicalJson(before[field]) !== canonicalJson(after[field])).map((field) => ({
    field,
    before: before[field],
    after: after[field],
  }));
}
