import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PRIORITIES, type Priority } from '#cases';
import { AGENT_STATE_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import type { TransactItem } from '#platform/adapters/dynamodb/transaction';
import type { WaitingCounts } from '../../domain/routing-ports.js';
import { backlogPartition, backlogRankPrefix } from './work-item.js';

type Item = Record<string, any>;

const COUNTS = AGENT_STATE_TABLE_ENTITIES['queue-counts'];

/** BatchGetItem takes at most 100 keys a request. */
const BATCH_GET_LIMIT = 100;

/** A queue's counters: how many of its work items wait, by priority (`waiting_<priority>`). */
export const queueCountsKey = (queue: string) => primaryKey(COUNTS.key, { queue });

const waitingAttribute = (priority: Priority) => `waiting_${priority}`;

/** One item's move into (+1) or out of (-1) a queue's backlog at a priority. */
export interface WaitingChange {
  queue: string;
  priority: Priority;
  delta: 1 | -1;
}

/**
 * The counter updates that go into the transaction moving a work item in or out of a backlog, one
 * per queue (a transaction may touch an item once): ADD creates the counter item the first time,
 * and changes that cancel out (same queue and priority) write nothing.
 */
export function waitingCountUpdates(tableName: string, changes: readonly WaitingChange[]): TransactItem[] {
  const byQueue = new Map<string, Map<Priority, number>>();
  for (const change of changes) {
    const deltas = byQueue.get(change.queue) ?? new Map<Priority, number>();
    deltas.set(change.priority, (deltas.get(change.priority) ?? 0) + change.delta);
    byQueue.set(change.queue, deltas);
  }
  const updates: TransactItem[] = [];
  for (const [queue, deltas] of byQueue) {
    const moved = [...deltas].filter(([, delta]) => delta !== 0);
    if (moved.length === 0) continue;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':tag': COUNTS.tag, ':queue': queue };
    const adds = moved.map(([priority, delta], i) => {
      names[`#p${i}`] = waitingAttribute(priority);
      values[`:d${i}`] = delta;
      return `#p${i} :d${i}`;
    });
    updates.push({
      Update: {
        TableName: tableName,
        Key: queueCountsKey(queue),
        UpdateExpression: `SET entity = :tag, #queue = :queue ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: { ...names, '#queue': 'queue' },
        ExpressionAttributeValues: values,
      },
    });
  }
  return updates;
}

export function waitingCountsFromItem(item: Item | undefined): WaitingCounts {
  const counts: WaitingCounts = {};
  for (const priority of PRIORITIES) {
    const count = Number(item?.[waitingAttribute(priority)] ?? 0);
    if (count !== 0) counts[priority] = count;
  }
  return counts;
}

/** Every queue's counters: one BatchGetItem (a request per 100 queues), however long the backlogs. */
export async function readWaitingCounts(
  client: DynamoDBDocumentClient,
  tableName: string,
  queues: readonly string[],
): Promise<Record<string, WaitingCounts>> {
  const found = new Map<string, Item>();
  for (let start = 0; start < queues.length; start += BATCH_GET_LIMIT) {
    let keys: Item[] = queues.slice(start, start + BATCH_GET_LIMIT).map(queueCountsKey);
    // DynamoDB may leave keys unprocessed under throttling: ask again for those only.
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === 5) throw new Error('queue counters: keys kept coming back unprocessed');
      const result = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of result.Responses?.[tableName] ?? []) found.set(String(item.queue), item);
      keys = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return Object.fromEntries(queues.map((queue) => [queue, waitingCountsFromItem(found.get(queue))]));
}

/** The oldest waiting item's `enqueuedAt` among these priorities: the first item of each priority's part of the backlog. */
export async function readOldestWaiting(
  client: DynamoDBDocumentClient,
  tableName: string,
  queue: string,
  priorities: readonly Priority[],
): Promise<string | null> {
  const firsts = await Promise.all(
    priorities.map(async (priority) => {
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :rank)',
          ExpressionAttributeValues: { ':pk': backlogPartition(queue), ':rank': backlogRankPrefix(priority) },
          Limit: 1,
        }),
      );
      const first = result.Items?.[0];
      return first ? String(first.enqueuedAt) : null;
    }),
  );
  return firsts.reduce<string | null>((oldest, at) => (at !== null && (oldest === null || at < oldest) ? at : oldest), null);
}

export const queueCountsEntity = { tag: COUNTS.tag, key: queueCountsKey, fromItem: waitingCountsFromItem } as const;
