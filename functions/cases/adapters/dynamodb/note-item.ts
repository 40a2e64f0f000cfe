import type { Note } from '../../domain/case-ports.js';
import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const NOTE = CASES_TABLE_ENTITIES.note;

/** An internal note, in its case's partition. */
export const noteKey = (caseId: string, id: string) => primaryKey(NOTE.key, { caseId, id });

export function noteItem(note: Note): Item {
  return { ...note, ...noteKey(note.caseId, note.id), entity: NOTE.tag };
}

export function noteFromItem(item: Item): Note {
  return { id: item.id, caseId: item.caseId, body: item.body, authorId: item.authorId, createdAt: item.createdAt };
}

export const noteEntity = { tag: NOTE.tag, key: noteKey, toItem: noteItem, fromItem: noteFromItem } as const;
