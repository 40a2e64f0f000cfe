import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const MESSAGE_ID = CASES_TABLE_ENTITIES['message-id'];

/**
 * Every Message-ID we stored (inbound and outbound) → its case: header threading and duplicate
 * deliveries. Indexed lower-cased: mail systems change the case of Message-IDs.
 */
export const messageIdKey = (messageId: string) => primaryKey(MESSAGE_ID.key, { messageId: messageId.toLowerCase() });

export interface MessageIdIndex {
  messageId: string;
  caseId: string;
  messageItemId: string;
}

export function messageIdItem(index: MessageIdIndex): Item {
  return {
    ...messageIdKey(index.messageId),
    entity: MESSAGE_ID.tag,
    messageId: index.messageId.toLowerCase(),
    caseId: index.caseId,
    messageItemId: index.messageItemId,
  };
}

export function messageIdFromItem(item: Item): MessageIdIndex {
  return { messageId: String(item.messageId), caseId: String(item.caseId), messageItemId: String(item.messageItemId) };
}

export const messageIdEntity = { tag: MESSAGE_ID.tag, key: messageIdKey, toItem: messageIdItem, fromItem: messageIdFromItem } as const;
