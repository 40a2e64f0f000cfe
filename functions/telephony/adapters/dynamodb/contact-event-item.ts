import type { HandledContactEvent } from '../../domain/callback-ports.js';
import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import { contactRecordExpiresAt } from './contact-record-ttl.js';

type Item = Record<string, any>;

const CONTACT_EVENT = CASES_TABLE_ENTITIES['contact-event'];

/**
 * In a contact's partition: one contact event (by type) was handled. Written only if absent, in the
 * same transaction as what the event changed, so a redelivered event changes nothing. Kept 90 days
 * (TTL): EventBridge retries an event for at most 24 hours.
 */
export const contactEventKey = (contactId: string, eventType: string) => primaryKey(CONTACT_EVENT.key, { contactId, eventType });

export function contactEventItem(handled: HandledContactEvent): Item {
  return {
    ...contactEventKey(handled.contactId, handled.eventType),
    entity: CONTACT_EVENT.tag,
    ...handled,
    expiresAt: contactRecordExpiresAt(handled.at),
  };
}

export const contactEventEntity = { tag: CONTACT_EVENT.tag, key: contactEventKey, toItem: contactEventItem } as const;
