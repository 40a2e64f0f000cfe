import type { Customer } from '../../domain/customer.js';
import { CASES_TABLE_ENTITIES, indexKey, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const CUSTOMER = CASES_TABLE_ENTITIES.customer;

export const customerKey = (id: string) => primaryKey(CUSTOMER.key, { id });
/** The profile sorts after `CASE#…` in GSI1, so a descending query yields it first, then the newest cases. */
export const customerIndex = (id: string) => indexKey('GSI1', CUSTOMER.indexes.GSI1[0], { id });

export function customerItem(customer: Customer): Item {
  return { ...customer, ...customerKey(customer.id), ...customerIndex(customer.id), entity: CUSTOMER.tag };
}

export function customerFromItem(item: Item): Customer {
  return {
    id: item.id,
    name: item.name ?? null,
    identities: (item.identities ?? []).map((identity: Item) => ({ type: identity.type, value: identity.value })),
    preferredLanguage: item.preferredLanguage ?? null,
    tier: item.tier,
    possibleDuplicateOf: item.possibleDuplicateOf ?? null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}

export const customerEntity = { tag: CUSTOMER.tag, key: customerKey, toItem: customerItem, fromItem: customerFromItem } as const;
