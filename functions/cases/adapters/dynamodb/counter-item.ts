import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

const COUNTER = CASES_TABLE_ENTITIES.counter;

/** The last case number's sequence: opening a case moves it on only from the value read. */
export const caseCounterKey = () => primaryKey(COUNTER.key, {});

/** The sequence a counter item holds (0 before the first case). */
export const sequenceFromItem = (item: Record<string, unknown> | undefined): number => Number(item?.sequence ?? 0);

/** The case counter entity (written by an update expression, never put whole). */
export const counterEntity = { tag: COUNTER.tag, key: caseCounterKey, fromItem: sequenceFromItem } as const;
