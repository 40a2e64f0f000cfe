import type { Identity } from '../../domain/customer.js';
import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const IDENTITY = CASES_TABLE_ENTITIES.identity;

/** One item per email or phone: its existence is what makes an identity unique across customers. */
export const identityItemKey = (identity: Identity) => primaryKey(IDENTITY.key, identity);

export function identityItem(identity: Identity, customerId: string): Item {
  return { ...identityItemKey(identity), entity: IDENTITY.tag, type: identity.type, value: identity.value, customerId };
}

export function identityFromItem(item: Item): { identity: Identity; customerId: string } {
  return { identity: { type: item.type, value: item.value }, customerId: String(item.customerId) };
}

export const identityEntity = { tag: IDENTITY.tag, key: identityItemKey, toItem: identityItem, fromItem: identityFromItem } as const;
