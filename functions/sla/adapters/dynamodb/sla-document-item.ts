import type { Versioned } from '../../domain/sla-policy.js';
import { CASES_TABLE_ENTITIES, fill, primaryKey } from '#tables/entities';

type Item = Record<string, unknown>;

const E = CASES_TABLE_ENTITIES;

/**
 * The SLA configuration's documents: policies and calendars in force, all in one partition read in
 * one query, and every stored version of each, kept so any past figure can be explained.
 */
const DOCUMENTS = {
  POLICY: { current: E['sla-policy'], version: E['sla-policy-version'] },
  CALENDAR: { current: E['sla-calendar'], version: E['sla-calendar-version'] },
} as const;

export type SlaDocumentKind = keyof typeof DOCUMENTS;

export const slaConfigPartition = fill(E['sla-policy'].key.pk, {});

/** The item of a document in force (its current version). */
export function slaDocumentItem(kind: SlaDocumentKind, document: Versioned<{ name: string }>): Item {
  const design = DOCUMENTS[kind].current;
  return { ...primaryKey(design.key, { name: document.value.name }), ...documentBody(document), entity: design.tag };
}

/** The item of one stored version of a document. */
export function slaDocumentVersionItem(kind: SlaDocumentKind, document: Versioned<{ name: string }>): Item {
  const design = DOCUMENTS[kind].version;
  const key = primaryKey(design.key, { name: document.value.name, version: String(document.version).padStart(6, '0') });
  return { ...key, ...documentBody(document), entity: design.tag };
}

function documentBody(document: Versioned<{ name: string }>) {
  return {
    value: document.value,
    version: document.version,
    updatedAt: document.updatedAt,
    updatedBy: document.updatedBy,
    name: document.value.name,
  };
}

export function slaDocumentFromItem<T>(item: Item): Versioned<T> {
  return {
    value: item.value as T,
    version: item.version as number,
    updatedAt: (item.updatedAt as string | undefined) ?? null,
    updatedBy: (item.updatedBy as string | undefined) ?? null,
  };
}

export const slaPolicyEntity = { tag: DOCUMENTS.POLICY.current.tag, fromItem: slaDocumentFromItem } as const;
export const slaCalendarEntity = { tag: DOCUMENTS.CALENDAR.current.tag, fromItem: slaDocumentFromItem } as const;
export const slaPolicyVersionEntity = { tag: DOCUMENTS.POLICY.version.tag, fromItem: slaDocumentFromItem } as const;
export const slaCalendarVersionEntity = { tag: DOCUMENTS.CALENDAR.version.tag, fromItem: slaDocumentFromItem } as const;
