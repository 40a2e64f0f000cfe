import type { WorkRecord } from '../../domain/routing-ports.js';
import type { WorkItem } from '../../domain/work-item.js';
import { PRIORITIES, type Priority } from '#cases';
import { AGENT_STATE_TABLE_ENTITIES, fill, indexKey, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const WORK = AGENT_STATE_TABLE_ENTITIES.work;
const [BACKLOG, OWNER] = WORK.indexes.GSI2;

/** A case's turn in routing: who owns it, if anyone. */
export const workItemKey = (id: string) => primaryKey(WORK.key, { id });

/**
 * GSI2 while an item waits: its queue's backlog in routing order. The rank puts urgent (0) before
 * high, normal and low (3); ISO timestamps then order by age, and the id makes the key unique.
 */
export function backlogIndex(w: { queue: string; priority: Priority; enqueuedAt: string; id: string }) {
  return indexKey('GSI2', BACKLOG, { ...w, rank: PRIORITIES.length - 1 - PRIORITIES.indexOf(w.priority) });
}
export const backlogPartition = (queue: string) => fill(BACKLOG.pk, { queue });

/** GSI2 while an agent holds an item (offered or accepted): the agent's work, oldest offer first. */
export const ownerIndex = (agentId: string, offeredAt: string, id: string) => indexKey('GSI2', OWNER, { agentId, offeredAt, id });
export const ownerPartition = (agentId: string) => fill(OWNER.pk, { agentId });

export function workItemFromItem(item: Item): WorkRecord {
  return {
    id: item.id,
    caseId: item.caseId,
    queue: item.queue,
    channel: item.channel,
    weight: item.weight,
    language: item.language ?? null,
    topic: item.topic ?? null,
    priority: item.priority,
    enqueuedAt: item.enqueuedAt,
    declinedBy: item.declinedBy ?? [],
    status: item.status,
    owner: item.owner ?? null,
    offerId: item.offerId ?? null,
    offeredAt: item.offeredAt ?? null,
    offerExpiresAt: item.offerExpiresAt ?? null,
    acceptedAt: item.acceptedAt ?? null,
    caseVersion: Number(item.caseVersion ?? 0),
    releasedAt: item.releasedAt ?? null,
    releaseReason: item.releaseReason ?? null,
    decision: item.decision ?? null,
  };
}

export const workEntity = { tag: WORK.tag, key: workItemKey, fromItem: workItemFromItem } as const;

/** The start of GSI2 sort keys of a queue's waiting items of one priority: the oldest is the first. */
export const backlogRankPrefix = (priority: Priority) => `${PRIORITIES.length - 1 - PRIORITIES.indexOf(priority)}#`;

/**
 * A waiting item leaves its backlog for good (`withdraw`), only while the case version is older and
 * the queue and priority are the ones whose counter the same transaction lowers.
 */
export function withdrawUpdate(tableName: string, stored: Pick<WorkRecord, 'id' | 'queue' | 'priority'>, caseVersion: number, at: string) {
  return {
    TableName: tableName,
    Key: workItemKey(stored.id),
    UpdateExpression: 'SET #status = :done, releasedAt = :at, releaseReason = :reason, caseVersion = :version REMOVE GSI2PK, GSI2SK',
    ConditionExpression: '#status = :waiting AND caseVersion < :version AND #queue = :queue AND priority = :priority',
    ExpressionAttributeNames: { '#status': 'status', '#queue': 'queue' },
    ExpressionAttributeValues: {
      ':done': 'done',
      ':at': at,
      ':reason': 'unrouted',
      ':version': caseVersion,
      ':waiting': 'waiting',
      ':queue': stored.queue,
      ':priority': stored.priority,
    },
  };
}

/**
 * A waiting item's routing fields brought up to a newer case version (`enqueue`), only while it
 * still waits at the version read. It keeps its age (and so its routing step and place among equals).
 */
export function refreshUpdate(tableName: string, item: WorkItem & { enqueuedAt: string }, caseVersion: number, storedVersion: number) {
  const refreshed = backlogIndex(item);
  return {
    TableName: tableName,
    Key: workItemKey(item.id),
    UpdateExpression:
      'SET #queue = :queue, channel = :channel, weight = :weight, #language = :language, topic = :topic, priority = :priority, caseVersion = :version, GSI2PK = :pk, GSI2SK = :sk, backlogPK = :pk, backlogSK = :sk',
    ConditionExpression: '#status = :waiting AND caseVersion = :storedVersion',
    ExpressionAttributeNames: { '#status': 'status', '#queue': 'queue', '#language': 'language' },
    ExpressionAttributeValues: {
      ':queue': item.queue,
      ':channel': item.channel,
      ':weight': item.weight,
      ':language': item.language,
      ':topic': item.topic,
      ':priority': item.priority,
      ':version': caseVersion,
      ':pk': refreshed.GSI2PK,
      ':sk': refreshed.GSI2SK,
      ':waiting': 'waiting',
      ':storedVersion': storedVersion,
    },
  };
}
