import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import { epochSeconds } from './mail-fingerprint-item.js';

type Item = Record<string, any>;

const ACKNOWLEDGEMENTS = CASES_TABLE_ENTITIES.acknowledgements;

/** When a sender was last acknowledged, for the hourly acknowledgement limit (TTL one hour). */
export const acknowledgementsKey = (sender: string) => primaryKey(ACKNOWLEDGEMENTS.key, { sender: sender.toLowerCase() });

export function acknowledgementsItem(sender: string, sentAt: string[], expiresAt: string): Item {
  return { ...acknowledgementsKey(sender), entity: ACKNOWLEDGEMENTS.tag, sentAt, expiresAt: epochSeconds(expiresAt) };
}

export const acknowledgementsFromItem = (item: Item | undefined): string[] | null => (item ? (item.sentAt as string[]) : null);

export const acknowledgementsEntity = {
  tag: ACKNOWLEDGEMENTS.tag,
  key: acknowledgementsKey,
  toItem: acknowledgementsItem,
  fromItem: acknowledgementsFromItem,
} as const;
