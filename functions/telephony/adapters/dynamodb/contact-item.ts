import type { ContactRecord } from '../../domain/call-ports.js';
import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const CONTACT = CASES_TABLE_ENTITIES.contact;

/**
 * One item per Amazon Connect contact a flow gave a case: ContactId → case. Written only if absent,
 * in the same transaction as the case it opened or the link to an open case, so a repeated
 * invocation for the same contact (Connect retries) finds it and creates nothing. Kept (no TTL):
 * it is also how a contact finds its case later.
 */
export const contactKey = (contactId: string) => primaryKey(CONTACT.key, { contactId });

export function contactItem(record: ContactRecord): Item {
  return { ...contactKey(record.contactId), entity: CONTACT.tag, ...record };
}

export function contactFromItem(item: Item): ContactRecord {
  return {
    contactId: item.contactId,
    caseId: item.caseId,
    caseNumber: item.caseNumber,
    customerId: item.customerId,
    linked: item.linked === true,
    at: item.at,
  };
}

export const contactEntity = { tag: CONTACT.tag, key: contactKey, toItem: contactItem, fromItem: contactFromItem } as const;
