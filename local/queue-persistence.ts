import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';

/** SQS's longest delay (s): a message due later than that is sent with it and arrives a little early. */
const MAX_DELAY_SECONDS = 900;

interface SavedMessage {
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  /** Epoch ms at which a delayed message becomes visible; absent for one that is visible (or in flight). */
  delayUntil?: number;
  groupId?: string;
  deduplicationId?: string;
}

/**
 * The SQS stand-in keeps messages in memory; the runtime writes every queue's messages to a file
 * when it stops (after the pollers, so nothing is in a handler) and sends them again when it starts,
 * so a queue keeps its place across a restart as a real queue does: waiting mail, `route` messages
 * and the delayed `expire-offer` messages of open offers. Messages in flight (received, not deleted)
 * are saved as visible, as their visibility timeout would make them; receive counts and message ids
 * start again.
 */
export function saveQueueMessages(fauxqs: FauxqsServer, queueNames: string[], file: string): number {
  const saved: Record<string, SavedMessage[]> = {};
  let count = 0;
  for (const name of queueNames) {
    const inspected = fauxqs.inspectQueue(name);
    if (!inspected) continue;
    const { ready, delayed, inflight } = inspected.messages;
    const messages = [...inflight.map((entry) => entry.message), ...ready, ...delayed].map((message): SavedMessage => ({
      body: message.body,
      attributes: message.messageAttributes,
      ...(message.delayUntil !== undefined && message.delayUntil > Date.now() ? { delayUntil: message.delayUntil } : {}),
      ...(message.messageGroupId ? { groupId: message.messageGroupId } : {}),
      ...(message.messageDeduplicationId ? { deduplicationId: message.messageDeduplicationId } : {}),
    }));
    if (messages.length > 0) saved[name] = messages;
    count += messages.length;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(saved));
  renameSync(`${file}.tmp`, file);
  return count;
}

/** Sends the saved messages to their queues again (by name; a queue no longer in the template loses its). */
export async function restoreQueueMessages(sqs: SQSClient, queueUrls: Map<string, string>, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, SavedMessage[]>;
  let restored = 0;
  for (const [name, messages] of Object.entries(saved)) {
    const url = queueUrls.get(name);
    if (!url) continue;
    for (const message of messages) {
      const delaySeconds = message.delayUntil ? Math.ceil((message.delayUntil - Date.now()) / 1000) : 0;
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: message.body,
          MessageAttributes: toSdkAttributes(message.attributes),
          // FIFO queues take no per-message delay.
          ...(message.groupId
            ? { MessageGroupId: message.groupId, MessageDeduplicationId: message.deduplicationId }
            : { DelaySeconds: Math.min(Math.max(delaySeconds, 0), MAX_DELAY_SECONDS) }),
        }),
      );
      restored += 1;
    }
  }
  return restored;
}

function toSdkAttributes(attributes: SavedMessage['attributes']): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { BinaryValue: Buffer.from(value.BinaryValue, 'base64') } : {}),
      },
    ]),
  );
}
