import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Callback, type CallbackStatus, isUnfinished, PRIORITY_RANKS } from '../../domain/callback.js';
import {
  CALL_STATS,
  type CallbackCommit,
  type CallbackStore,
  type CallStat,
  type ContactFacts,
  type HourStats,
} from '../../domain/callback-ports.js';
import type { AlongsideWrite } from '#platform/domain/commit-conflict';
import type { Page, PageRequest } from '#platform/domain/page';
import { addOpenCaseItems, messageItem, noteItem, timelineItem } from '#cases/adapters';
import {
  callbackDuePartition,
  callbackDueRange,
  callbackFromItem,
  callbackIndexPartition,
  callbackItem,
  callbackKey,
  callbackSortPrefix,
  caseCallbacksPartition,
} from './callback-item.js';
import { callbackContactEntity, callbackContactItem, callbackContactKey } from './callback-contact-item.js';
import { callbackGuardEntity, callbackGuardItem, callbackGuardKey } from './callback-guard-item.js';
import { callStatsEntity, callStatsKey, callStatsPartition, callStatsSortKey } from './call-stats-item.js';
import { contactKey } from './contact-item.js';
import { contactEventItem, contactEventKey } from './contact-event-item.js';
import { queryAllPages } from '#platform/adapters/dynamodb/query-partition';
import { queryPage } from '#platform/adapters/dynamodb/query-page';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

type Item = Record<string, any>;

/** Callbacks, contact records and the missed-call counters in the cases table. */
export class DynamoCallbackStore implements CallbackStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** BatchGetItem of the contact's link (and its related contacts' links), our dial record and the event's handled record. */
  async readContact(contact: { contactId: string; relatedContactIds: readonly string[]; eventType: string }): Promise<ContactFacts> {
    const linkIds = [contact.contactId, ...contact.relatedContactIds.filter((id) => id !== contact.contactId)];
    let pending: Item[] = [
      ...linkIds.map((id) => contactKey(id)),
      callbackContactKey(contact.contactId),
      contactEventKey(contact.contactId, contact.eventType),
    ];
    const found: Item[] = [];
    // BatchGet may hand back unprocessed keys under throttling; ask again for exactly those.
    while (pending.length > 0) {
      const result = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[this.tableName] ?? []));
      pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
    }
    const byKey = new Map(found.map((item) => [`${item.PK}|${item.SK}`, item]));
    const at = (key: { PK: string; SK: string }) => byKey.get(`${key.PK}|${key.SK}`);
    const link = linkIds.map((id) => at(contactKey(id))).find((item) => typeof item?.caseId === 'string');
    const dialled = at(callbackContactKey(contact.contactId));
    return {
      linkedCase: link ? { caseId: link.caseId, customerId: typeof link.customerId === 'string' ? link.customerId : null } : null,
      dialled: dialled ? callbackContactEntity.fromItem(dialled) : null,
      handled: at(contactEventKey(contact.contactId, contact.eventType)) !== undefined,
    };
  }

  async getCallback(id: string): Promise<Callback | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: callbackKey(id), ConsistentRead: true }));
    return result.Item ? callbackFromItem(result.Item) : null;
  }

  /** GetItem of the number's guard, then GetItem of the callback it names. */
  async findOpenCallback(phone: string): Promise<{ callback: Callback | null; guardOf: string | null }> {
    const guard = await this.client.send(new GetCommand({ TableName: this.tableName, Key: callbackGuardKey(phone), ConsistentRead: true }));
    const callbackId = callbackGuardEntity.fromItem(guard.Item);
    if (callbackId === null) return { callback: null, guardOf: null };
    const callback = await this.getCallback(callbackId);
    return { callback: callback && isUnfinished(callback) ? callback : null, guardOf: callbackId };
  }

  /** One Query of the due index per priority rank (`PRIORITY_RANKS`): keys from `<rank>#` up to `<rank>#<now>~`, soonest due first. */
  async listDue(now: string, limitPerRank: number): Promise<Callback[]> {
    const ranks = await Promise.all(
      PRIORITY_RANKS.map(async (rank) => {
        const range = callbackDueRange(rank, now);
        const result = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'GSI2',
            KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': callbackDuePartition, ':from': range.from, ':to': range.to },
            Limit: limitPerRank,
          }),
        );
        return (result.Items ?? []).map((item) => callbackFromItem(item));
      }),
    );
    return ranks.flat();
  }

  /** One Query of GSI4 `CASE_CALLBACKS#<caseId>` (only unfinished callbacks carry that key). */
  async listUnfinishedOfCase(caseId: string): Promise<Callback[]> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      IndexName: 'GSI4',
      KeyConditionExpression: 'GSI4PK = :pk',
      ExpressionAttributeValues: { ':pk': caseCallbacksPartition(caseId) },
    });
    return items.map((item: Item) => callbackFromItem(item)).filter(isUnfinished);
  }

  async listCallbacks(query: PageRequest & { status?: CallbackStatus | undefined }): Promise<Page<Callback>> {
    const page = await queryPage(this.client, {
      tableName: this.tableName,
      index: query.status ? 'GSI3' : 'GSI5',
      partition: query.status ? callbackIndexPartition.status(query.status) : callbackIndexPartition.all(),
      sortKeyPrefix: callbackSortPrefix,
      newestFirst: true,
      filters: {},
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: page.items.map((item) => callbackFromItem(item)), nextCursor: page.nextCursor };
  }

  async readStats(fromHour: string, toHour: string): Promise<HourStats[]> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': callStatsPartition,
        ':from': callStatsSortKey(fromHour),
        ':to': callStatsSortKey(toHour),
      },
    });
    return items.map((item: Item) => callStatsEntity.fromItem(item));
  }

  /** One TransactWriteItems with everything the step writes; the conditions are described at `CallbackCommit`. */
  async commit(commit: CallbackCommit): Promise<void> {
    await this.transactionOf(commit).send(this.client);
  }

  writesOf(commit: CallbackCommit): AlongsideWrite[] {
    return this.transactionOf(commit).asAlongside();
  }

  private transactionOf(commit: CallbackCommit): TransactionBuilder {
    const transaction = new TransactionBuilder(this.tableName);
    const TableName = this.tableName;
    if (commit.handled) {
      const handled = commit.handled;
      transaction.put(contactEventItem(handled), { expression: 'attribute_not_exists(PK)', onConflict: 'duplicate' });
    }
    if (commit.callback) {
      const { callback, expectedVersion } = commit.callback;
      transaction.put(
        callbackItem(callback),
        expectedVersion === 0
          ? { expression: 'attribute_not_exists(PK)', onConflict: 'version' }
          : { expression: 'version = :expected', values: { ':expected': expectedVersion }, onConflict: 'version' },
      );
    }
    if (commit.guard?.action === 'claim') {
      const { phone, callbackId, replacing } = commit.guard;
      transaction.put(
        callbackGuardItem(phone, callbackId),
        replacing
          ? {
              expression: 'attribute_not_exists(PK) OR callbackId = :replacing',
              values: { ':replacing': replacing },
              onConflict: 'version',
            }
          : { expression: 'attribute_not_exists(PK)', onConflict: 'version' },
      );
    } else if (commit.guard?.action === 'release') {
      transaction.add(
        {
          Delete: {
            TableName,
            Key: callbackGuardKey(commit.guard.phone),
            ConditionExpression: 'attribute_not_exists(PK) OR callbackId = :callbackId',
            ExpressionAttributeValues: { ':callbackId': commit.guard.callbackId },
          },
        },
        'version',
      );
    }
    if (commit.dialledContact) {
      const dialled = commit.dialledContact;
      transaction.put(callbackContactItem(dialled));
    }
    if (commit.newCase) {
      addOpenCaseItems(transaction, commit.newCase);
      transaction.put(timelineItem(commit.newCase.timeline));
    }
    for (const entry of commit.timeline ?? []) transaction.put(timelineItem(entry));
    for (const { note, timeline } of commit.notes ?? []) {
      transaction.put(noteItem(note));
      transaction.put(timelineItem(timeline));
    }
    for (const message of commit.messages ?? [])
      transaction.put(messageItem(message), { expression: 'attribute_not_exists(PK)', onConflict: 'duplicate' });
    for (const [hour, counts] of mergeStats(commit.stats ?? [])) {
      const stats = CALL_STATS.filter((stat) => (counts[stat] ?? 0) !== 0);
      if (stats.length === 0) continue;
      transaction.add({
        Update: {
          TableName,
          Key: callStatsKey(hour),
          UpdateExpression: `SET entity = :entity, #hour = :hour ADD ${stats.map((stat) => `#${stat} :${stat}`).join(', ')}`,
          ExpressionAttributeNames: { '#hour': 'hour', ...Object.fromEntries(stats.map((stat) => [`#${stat}`, stat])) },
          ExpressionAttributeValues: {
            ':entity': callStatsEntity.tag,
            ':hour': hour,
            ...Object.fromEntries(stats.map((stat) => [`:${stat}`, counts[stat]])),
          },
        },
      });
    }
    return transaction;
  }
}

/** One update per hour (a transaction may touch an item once). */
function mergeStats(stats: NonNullable<CallbackCommit['stats']>): Map<string, Partial<Record<CallStat, number>>> {
  const byHour = new Map<string, Partial<Record<CallStat, number>>>();
  for (const { hour, counts } of stats) {
    const merged = byHour.get(hour) ?? {};
    for (const stat of CALL_STATS) merged[stat] = (merged[stat] ?? 0) + (counts[stat] ?? 0);
    byHour.set(hour, merged);
  }
  return byHour;
}
