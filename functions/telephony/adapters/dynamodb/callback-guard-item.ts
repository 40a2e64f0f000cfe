import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const GUARD = CASES_TABLE_ENTITIES['callback-guard'];

/**
 * One item per phone number (E.164) with an unfinished callback, naming it. Created only if absent
 * with the callback, deleted in the transaction that finishes it: its existence is what makes
 * one open callback per number.
 */
export const callbackGuardKey = (phone: string) => primaryKey(GUARD.key, { phone });

export function callbackGuardItem(phone: string, callbackId: string): Item {
  return { ...callbackGuardKey(phone), entity: GUARD.tag, phone, callbackId };
}

/** The callback a guard names, if any. */
export const callbackGuardFromItem = (item: Item | undefined): string | null =>
  typeof item?.callbackId === 'string' ? item.callbackId : null;

export const callbackGuardEntity = {
  tag: GUARD.tag,
  key: callbackGuardKey,
  toItem: callbackGuardItem,
  fromItem: callbackGuardFromItem,
} as const;
