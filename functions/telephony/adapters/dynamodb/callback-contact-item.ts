import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import { contactRecordExpiresAt } from './contact-record-ttl.js';

type Item = Record<string, any>;

const CALLBACK_CONTACT = CASES_TABLE_ENTITIES['callback-contact'];

/**
 * In a contact's partition: the callback attempt that dialled this outbound contact, so the
 * contact's events find their callback when they carry no attributes. Kept 90 days (TTL).
 */
export const callbackContactKey = (contactId: string) => primaryKey(CALLBACK_CONTACT.key, { contactId });

export interface DialledContact {
  contactId: string;
  callbackId: string;
  attempt: number;
  at: string;
}

export function callbackContactItem(dialled: DialledContact): Item {
  return {
    ...callbackContactKey(dialled.contactId),
    entity: CALLBACK_CONTACT.tag,
    ...dialled,
    expiresAt: contactRecordExpiresAt(dialled.at),
  };
}

export function callbackContactFromItem(item: Item): { callbackId: string; attempt: number } {
  return { callbackId: item.callbackId, attempt: Number(item.attempt) };
}

export const callbackContactEntity = {
  tag: CALLBACK_CONTACT.tag,
  key: callbackContactKey,
  toItem: callbackContactItem,
  fromItem: callbackContactFromItem,
} as const;
