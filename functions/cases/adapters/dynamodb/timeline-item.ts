import type { TimelineEntry } from '../../domain/timeline.js';
import { CASES_TABLE_ENTITIES, literalPrefix, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const TIMELINE = CASES_TABLE_ENTITIES.timeline;

/** An audit entry, in its case's partition; ULID ids keep the timeline in order. */
export const timelineKey = (caseId: string, id: string) => primaryKey(TIMELINE.key, { caseId, id });
export const timelinePrefix = literalPrefix(TIMELINE.key.sk);

export function timelineItem(entry: TimelineEntry): Item {
  return { ...entry, ...timelineKey(entry.caseId, entry.id), entity: TIMELINE.tag };
}

export function timelineEntryFromItem(item: Item): TimelineEntry {
  return {
    id: item.id,
    caseId: item.caseId,
    at: item.at,
    actor: { kind: item.actor.kind, id: item.actor.id },
    action: item.action,
    changes: (item.changes ?? []).map((change: Item) => ({ field: change.field, before: change.before, after: change.after })),
    ...(item.data ? { data: item.data } : {}),
  };
}

export const timelineEntity = { tag: TIMELINE.tag, key: timelineKey, toItem: timelineItem, fromItem: timelineEntryFromItem } as const;
