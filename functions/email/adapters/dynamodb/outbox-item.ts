import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import type { OutboxRetry } from '../../domain/email-ports.js';
import { epochSeconds } from './mail-fingerprint-item.js';

type Item = Record<string, any>;

const SEND = CASES_TABLE_ENTITIES['outbox-send'];
const RETRY = CASES_TABLE_ENTITIES['outbox-retry'];

/** Days a send record is kept (TTL): far longer than any merge copying a message that waits to be sent. */
const SEND_RECORD_DAYS = 90;

/**
 * The send record of an outbound message: the intent to hand it to SES (one id per attempt), then
 * whether SES accepted it. Keyed by the message item id alone, so every copy of the message, in
 * whatever case, meets the same record and none is sent again.
 */
export const outboxSendKey = (messageItemId: string) => primaryKey(SEND.key, { messageItemId });

export interface OutboxSendRecord {
  messageItemId: string;
  caseId: string;
  state: 'intent' | 'accepted' | 'released';
  intentId: string;
  leaseUntil: string;
  providerMessageId: string | null;
  headerMessageIds: string[];
}

export function outboxSendItem(record: OutboxSendRecord, now: string): Item {
  return {
    ...outboxSendKey(record.messageItemId),
    entity: SEND.tag,
    ...record,
    expiresAt: epochSeconds(now) + SEND_RECORD_DAYS * 86_400,
  };
}

export function outboxSendFromItem(item: Item): OutboxSendRecord {
  return {
    messageItemId: String(item.messageItemId),
    caseId: String(item.caseId),
    state: item.state as OutboxSendRecord['state'],
    intentId: String(item.intentId),
    leaseUntil: String(item.leaseUntil),
    providerMessageId: (item.providerMessageId as string | null | undefined) ?? null,
    headerMessageIds: (item.headerMessageIds as string[] | undefined) ?? [],
  };
}

export const outboxSendEntity = { tag: SEND.tag, key: outboxSendKey, toItem: outboxSendItem, fromItem: outboxSendFromItem } as const;

/** A failed message waiting for its next attempt, in one partition sorted by when it is due. */
export const outboxRetryKey = (retry: OutboxRetry) => primaryKey(RETRY.key, retry);

/** The sort key bound below which every retry due at `now` sorts (`$` follows `#`). */
export const outboxRetryDueBound = (now: string) => `RETRY#${now}$`;

export const outboxRetryPartition = () => primaryKey(RETRY.key, { retryAt: 'x', caseId: 'x', messageItemId: 'x' }).PK;

export function outboxRetryItem(retry: OutboxRetry): Item {
  return { ...outboxRetryKey(retry), entity: RETRY.tag, ...retry };
}

export function outboxRetryFromItem(item: Item): OutboxRetry {
  return { retryAt: String(item.retryAt), caseId: String(item.caseId), messageItemId: String(item.messageItemId) };
}

export const outboxRetryEntity = { tag: RETRY.tag, key: outboxRetryKey, toItem: outboxRetryItem, fromItem: outboxRetryFromItem } as const;
