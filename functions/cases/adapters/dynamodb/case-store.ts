import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { MergeJob } from '../../domain/merge.js';
import { mergeFromItem, mergeItem, mergeKey } from './merge-item.js';
import type { Case } from '../../domain/case.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { CaseMessage } from '../../domain/case-message.js';
import type { Identity } from '#customers';
import {
  type CaseChangeCommit,
  type CaseContentPage,
  type CaseMergeStore,
  type CaseQuery,
  type CaseStore,
  type IntakeState,
  type Note,
  type OpenCaseCommit,
} from '../../domain/case-ports.js';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { identityKey } from '#customers';
import { type Page, type PageRequest } from '#platform/domain/page';
import { decodeCursor, encodeCursor } from '#platform/adapters/dynamodb/cursor';
import { customerItem, customerKey, identityEntity, identityItem, identityItemKey } from '#customers/adapters';
import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import { viewerFilter } from './viewer-filter.js';
import { caseFromItem, caseIndexPartition, caseItem, caseKey, caseSortPrefix } from './case-item.js';
import { caseNumberItem, caseNumberKey } from './case-number-item.js';
import { caseCounterKey, counterEntity } from './counter-item.js';
import { messageEntity, messageKey, messagePrefix } from './message-item.js';
import { messageIdItem } from './message-id-item.js';
import { noteItem } from './note-item.js';
import { timelineEntryFromItem, timelineItem, timelinePrefix } from './timeline-item.js';
import { queryPage } from '#platform/adapters/dynamodb/query-page';
import { failedTransactionItems, transactWrite } from '#platform/adapters/dynamodb/transaction-errors';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

/**
 * The items that open a case: the counter moves on only from the value read, the case number must
 * be free, and the identities claimed must still be free. Shared by every intake (API, email).
 */
export function addOpenCaseItems(
  transaction: TransactionBuilder,
  commit: Pick<OpenCaseCommit, 'case' | 'customer' | 'createCustomer' | 'claimIdentities' | 'expectedLastSequence'>,
): void {
  const sequence = commit.expectedLastSequence + 1;
  const TableName = transaction.tableName;
  transaction.add(
    {
      Update: {
        TableName,
        Key: caseCounterKey(),
        UpdateExpression: 'SET #sequence = :next, entity = :entity',
        ConditionExpression: 'attribute_not_exists(PK) OR #sequence = :expected',
        ExpressionAttributeNames: { '#sequence': 'sequence' },
        ExpressionAttributeValues: { ':next': sequence, ':expected': commit.expectedLastSequence, ':entity': counterEntity.tag },
      },
    },
    'sequence',
  );
  transaction.put(caseItem(commit.case), { expression: 'attribute_not_exists(PK)', onConflict: 'sequence' });
  transaction.put(caseNumberItem(sequence, commit.case.id), { expression: 'attribute_not_exists(PK)', onConflict: 'sequence' });
  const claimed = commit.createCustomer ? commit.customer.identities : commit.claimIdentities;
  for (const identity of claimed) {
    transaction.put(identityItem(identity, commit.customer.id), { expression: 'attribute_not_exists(PK)', onConflict: 'identity' });
  }
  if (commit.createCustomer) {
    transaction.put(customerItem(commit.customer), { expression: 'attribute_not_exists(PK)', onConflict: 'identity' });
  } else if (claimed.length > 0) {
    transaction.add(
      {
        Update: {
          TableName,
          Key: customerKey(commit.customer.id),
          UpdateExpression: 'SET identities = list_append(identities, :claimed), updatedAt = :now, version = version + :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':claimed': claimed, ':now': commit.case.createdAt, ':one': 1 },
        },
      },
      'identity',
    );
  }
}

/** Which index serves a case query: the most selective filter given picks it; the rest filter its pages. */
function planCaseQuery(query: CaseQuery): { index: string; partition: string; filters: Record<string, string> } {
  const p = caseIndexPartition;
  const filters: Record<string, string | undefined> = {
    assigneeId: query.assigneeId,
    customerId: query.customerId,
    queue: query.queue,
    status: query.status,
    priority: query.priority,
  };
  const pick = (index: string, partition: string, used: string) => {
    const rest = Object.fromEntries(Object.entries(filters).filter(([name, value]) => name !== used && value !== undefined));
    return { index, partition, filters: rest as Record<string, string> };
  };
  if (query.assigneeId) return pick('GSI4', p.assignee(query.assigneeId), 'assigneeId');
  if (query.customerId) return pick('GSI1', p.customer(query.customerId), 'customerId');
  if (query.queue) return pick('GSI3', p.queue(query.queue), 'queue');
  if (query.status) return pick('GSI2', p.status(query.status), 'status');
  return pick('GSI5', p.all(), '');
}

/** The cases table as the domain's `CaseStore` (and the store of merges). */
export class DynamoCaseStore implements CaseStore, CaseMergeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async readIntakeState(identities: readonly Identity[]): Promise<IntakeState> {
    let pending: Record<string, unknown>[] = [caseCounterKey(), ...identities.map((identity) => identityItemKey(identity))];
    const found: Record<string, unknown>[] = [];
    // BatchGet may hand back unprocessed keys under throttling; ask again for exactly those.
    while (pending.length > 0) {
      const result = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[this.tableName] ?? []));
      pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    const counter = found.find((item) => item.PK === caseCounterKey().PK);
    const ownerByIdentity = new Map<string, string>();
    for (const item of found) {
      if (item.entity === identityEntity.tag) {
        const { identity, customerId } = identityEntity.fromItem(item);
        ownerByIdentity.set(identityKey(identity), customerId);
      }
    }
    return { lastCaseSequence: counterEntity.fromItem(counter), ownerByIdentity };
  }

  async commitOpenCase(commit: OpenCaseCommit): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    addOpenCaseItems(transaction, commit);
    transaction.put(timelineItem(commit.timeline));
    await transaction.send(this.client);
  }

  async getCase(id: string): Promise<Case | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: caseKey(id), ConsistentRead: true }));
    return result.Item ? caseFromItem(result.Item) : null;
  }

  async getCaseWithMessages(id: string, messageLimit: number): Promise<{ case: Case; messages: Page<CaseMessage> } | null> {
    // Two bounded reads at once: a case with thousands of messages costs the same as one with fifty.
    const [found, messages] = await Promise.all([this.getCase(id), this.listMessages(id, { limit: messageLimit })]);
    return found ? { case: found, messages } : null;
  }

  async getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: messageKey(caseId, messageItemId) }));
    return result.Item ? messageEntity.fromItem(result.Item) : null;
  }

  async listMessages(caseId: string, page: PageRequest): Promise<Page<CaseMessage>> {
    const scope = `messages|${caseId}`;
    // One more than the page: a cursor only when older messages exist, never one to an empty page.
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': caseKey(caseId).PK, ':prefix': messagePrefix },
        ScanIndexForward: false,
        Limit: page.limit + 1,
        ExclusiveStartKey: decodeCursor(scope, page.cursor),
        ConsistentRead: true,
      }),
    );
    const newestFirst = (result.Items ?? []).slice(0, page.limit);
    const oldest = newestFirst.at(-1);
    const more = (result.Items ?? []).length > page.limit && oldest !== undefined;
    return {
      items: newestFirst.reverse().map((item) => messageEntity.fromItem(item)),
      nextCursor: more ? encodeCursor(scope, { PK: oldest.PK, SK: oldest.SK }) : null,
    };
  }

  async findCaseIdBySequence(sequence: number): Promise<string | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: caseNumberKey(sequence) }));
    return typeof result.Item?.caseId === 'string' ? result.Item.caseId : null;
  }

  async listCases(query: CaseQuery): Promise<Page<Case>> {
    const plan = planCaseQuery(query);
    const page = await queryPage(this.client, {
      tableName: this.tableName,
      index: plan.index,
      partition: plan.partition,
      sortKeyPrefix: caseSortPrefix,
      newestFirst: true,
      filters: plan.filters,
      anyOf: viewerFilter(query.viewer),
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: page.items.map((item) => caseFromItem(item)), nextCursor: page.nextCursor };
  }

  async commitCaseChange(commit: CaseChangeCommit): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.put(caseItem(commit.case), {
      expression: 'version = :expected',
      values: { ':expected': commit.expectedVersion },
      onConflict: 'version',
    });
    for (const entry of commit.timeline) transaction.put(timelineItem(entry));
    transaction.addAlongside(commit.alongside);
    await transaction.send(this.client);
  }

  async addNote(note: Note, timeline: TimelineEntry): Promise<void> {
    try {
      await transactWrite(this.client, {
        TransactItems: [
          { ConditionCheck: { TableName: this.tableName, Key: caseKey(note.caseId), ConditionExpression: 'attribute_exists(PK)' } },
          { Put: { TableName: this.tableName, Item: noteItem(note) } },
          { Put: { TableName: this.tableName, Item: timelineItem(timeline) } },
        ],
      });
    } catch (error) {
      if (failedTransactionItems(error)?.includes(0)) throw new CommitConflict('missing');
      throw error;
    }
  }

  /** BatchWriteItem in chunks of 25, asking again for what DynamoDB leaves unprocessed. */
  private async batchWrite(requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string]): Promise<void> {
    for (let start = 0; start < requests.length; start += 25) {
      let pending = requests.slice(start, start + 25);
      while (pending.length > 0) {
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = result.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  async commitMerge(commit: Parameters<CaseMergeStore['commitMerge']>[0]): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.put(caseItem(commit.source), { expression: 'version = :v', values: { ':v': commit.sourceVersion }, onConflict: 'version' });
    transaction.put(caseItem(commit.target), { expression: 'version = :v', values: { ':v': commit.targetVersion }, onConflict: 'version' });
    for (const entry of commit.timeline) transaction.put(timelineItem(entry));
    transaction.put(mergeItem(commit.job), { expression: 'attribute_not_exists(PK)', onConflict: 'version' });
    transaction.addAlongside(commit.alongside);
    await transaction.send(this.client);
  }

  async getMergeJob(id: string): Promise<MergeJob | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: mergeKey(id), ConsistentRead: true }));
    return result.Item ? mergeFromItem(result.Item) : null;
  }

  async createMergeJob(job: MergeJob): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: mergeItem(job), ConditionExpression: 'attribute_not_exists(PK)' }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async readContentPage(sourceId: string, after: string | null, limit: number): Promise<CaseContentPage> {
    const pk = caseKey(sourceId).PK;
    // The case item and its SLA record stay with their case (the target keeps its own clocks);
    // they are filtered out after the read, so a page is at most `limit` items and often fewer.
    const slaSk = primaryKey(CASES_TABLE_ENTITIES.sla.key, { caseId: sourceId }).SK;
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: after === null ? undefined : { PK: pk, SK: after },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const items = (result.Items ?? []).map((stored) => {
      const status = (stored.delivery as { status?: unknown } | undefined)?.status;
      return {
        sortKey: String(stored.SK),
        staysWithSource: stored.SK === caseKey(sourceId).SK || stored.SK === slaSk || stored.action === 'case.merged_into',
        inFlight: stored.entity === messageEntity.tag && (status === 'queued' || status === 'sending'),
        stored,
      };
    });
    return { items, more: result.LastEvaluatedKey !== undefined };
  }

  async copyContent(targetId: string, items: CaseContentPage['items']): Promise<void> {
    const targetPk = caseKey(targetId).PK;
    const copies = items.map(({ stored }) => ({ PutRequest: { Item: { ...stored, PK: targetPk, caseId: targetId } } }));
    const repointed = items
      .filter(({ stored }) => stored.entity === messageEntity.tag && typeof stored.messageId === 'string')
      .map(({ stored }) => ({
        PutRequest: { Item: messageIdItem({ messageId: String(stored.messageId), caseId: targetId, messageItemId: String(stored.id) }) },
      }));
    await this.batchWrite([...copies, ...repointed]);
  }

  async commitPage(job: MergeJob, expectedVersion: number, copied: CaseContentPage['items']): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    for (const { stored } of copied) {
      transaction.add({ Delete: { TableName: this.tableName, Key: { PK: stored.PK, SK: stored.SK } } });
    }
    transaction.put(mergeItem(job), { expression: 'version = :v', values: { ':v': expectedVersion }, onConflict: 'version' });
    await transaction.send(this.client);
  }

  async listTimeline(caseId: string, page: PageRequest): Promise<Page<TimelineEntry>> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': caseKey(caseId).PK, ':prefix': timelinePrefix },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(`timeline|${caseId}`, page.cursor),
        ConsistentRead: true,
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => timelineEntryFromItem(item)),
      nextCursor: result.LastEvaluatedKey ? encodeCursor(`timeline|${caseId}`, result.LastEvaluatedKey) : null,
    };
  }
}
