import { PRIORITIES, type Priority } from '#cases';
import { AGENT_STATE_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import type { TransactItem } from '#platform/adapters/dynamodb/transaction';
import type { WaitingCounts } from '../../domain/routing-ports.js';

type Item = Record<string, any>;

const COUNTS = AGENT_STATE_TABLE_ENTITIES['queue-counts'];

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

export const queueCountsEntity = { tag: COUNTS.tag, key: queueCountsKey, fromItem: waitingCountsFromItem } as const;
