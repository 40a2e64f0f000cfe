import { CASES_TABLE_ENTITIES, literalPrefix, primaryKey } from '#tables/entities';

const CASE_NUMBER = CASES_TABLE_ENTITIES['case-number'];

/** Maps a human case number's sequence to the case id; also guarantees numbers are unique. */
export const caseNumberKey = (sequence: number) => primaryKey(CASE_NUMBER.key, { sequence });

export function caseNumberItem(sequence: number, caseId: string): Record<string, unknown> {
  return { ...caseNumberKey(sequence), entity: CASE_NUMBER.tag, caseId };
}

/** The sequence (read back from the key) and the case of a case-number item. */
export function caseNumberFromItem(item: Record<string, unknown>): { sequence: number; caseId: string } {
  return { sequence: Number(String(item.PK).slice(literalPrefix(CASE_NUMBER.key.pk).length)), caseId: String(item.caseId) };
}

export const caseNumberEntity = { tag: CASE_NUMBER.tag, key: caseNumberKey, toItem: caseNumberItem, fromItem: caseNumberFromItem } as const;
