import type { CaseMessage } from '../../domain/case-message.js';
import { CASES_TABLE_ENTITIES, literalPrefix, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const MESSAGE = CASES_TABLE_ENTITIES.message;

/** Messages sort right after the case item (`CASE` < `CASE#MSG#…`), so one query reads a case with its messages. */
export const messageKey = (caseId: string, id: string) => primaryKey(MESSAGE.key, { caseId, id });
export const messagePrefix = literalPrefix(MESSAGE.key.sk);

export function messageItem(message: CaseMessage): Item {
  return { ...message, ...messageKey(message.caseId, message.id), entity: MESSAGE.tag };
}

export function messageFromItem(item: Item): CaseMessage {
  return {
    id: item.id,
    caseId: item.caseId,
    direction: item.direction,
    channel: item.channel,
    kind: item.kind,
    from: item.from,
    fromName: item.fromName ?? null,
    to: item.to ?? [],
    cc: item.cc ?? [],
    subject: item.subject,
    text: item.text,
    textTruncated: item.textTruncated ?? false,
    messageId: item.messageId,
    inReplyTo: item.inReplyTo ?? [],
    references: item.references ?? [],
    attachments: (item.attachments ?? []).map((a: Item) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      checksum: a.checksum,
      key: a.key,
      inline: a.inline ?? false,
    })),
    rejectedAttachments: (item.rejectedAttachments ?? []).map((r: Item) => ({ filename: r.filename, size: r.size, reason: r.reason })),
    threading: { method: item.threading.method, confidence: item.threading.confidence },
    automation: item.automation ?? null,
    rawKey: item.rawKey ?? null,
    authorId: item.authorId ?? null,
    delivery: item.delivery
      ? {
          status: item.delivery.status,
          attempts: item.delivery.attempts ?? 0,
          leaseUntil: item.delivery.leaseUntil ?? null,
          providerMessageId: item.delivery.providerMessageId ?? null,
          error: item.delivery.error ?? null,
        }
      : null,
    createdAt: item.createdAt,
  };
}

export const messageEntity = { tag: MESSAGE.tag, key: messageKey, toItem: messageItem, fromItem: messageFromItem } as const;
