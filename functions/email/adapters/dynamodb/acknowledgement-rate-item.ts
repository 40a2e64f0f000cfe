import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import { epochSeconds } from './mail-fingerprint-item.js';

type Item = Record<string, any>;

const RATE = CASES_TABLE_ENTITIES['acknowledgement-rate'];

/** The counter of one minute's acknowledgements, all senders together; TTL removes it after a day. */
export const acknowledgementRateKey = (minute: string) => primaryKey(RATE.key, { minute });

export function acknowledgementRateItem(minute: string, count: number): Item {
  return { ...acknowledgementRateKey(minute), entity: RATE.tag, count, expiresAt: epochSeconds(`${minute}:00.000Z`) + 24 * 60 * 60 };
}

export const acknowledgementRateFromItem = (item: Item | undefined): number => (item ? Number(item.count) : 0);

export const acknowledgementRateEntity = {
  tag: RATE.tag,
  key: acknowledgementRateKey,
  toItem: acknowledgementRateItem,
  fromItem: acknowledgementRateFromItem,
} as const;
