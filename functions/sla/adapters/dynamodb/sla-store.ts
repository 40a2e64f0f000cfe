import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { SlaFlag } from '#cases';
import type { BusinessCalendar } from '../../domain/business-calendar.js';
import type { CaseSla } from '../../domain/sla-clock.js';
import type { StoredSlaConfig } from '../../domain/sla-config.js';
import type { SlaPolicy, Versioned } from '../../domain/sla-policy.js';
import type { SlaCommit, SlaStore } from '../../domain/sla-ports.js';
import { caseEntity, caseItem, caseKey, messageItem, timelineItem } from '#cases/adapters';
import type { Case } from '#cases';
import { atRiskPartition, slaEntity, slaFromItem, slaItem, slaKey } from './sla-item.js';
import {
  slaCalendarEntity,
  slaConfigPartition,
  type SlaDocumentKind,
  slaDocumentFromItem,
  slaDocumentItem,
  slaDocumentVersionItem,
  slaPolicyEntity,
} from './sla-document-item.js';
import { slaDefaultsFromItems } from './sla-defaults-item.js';
import { queryPartition } from '#platform/adapters/dynamodb/query-partition';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

/** SLA records and configuration in the cases table. */
export class DynamoSlaStore implements SlaStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async readConfig(): Promise<StoredSlaConfig> {
    const items = await queryPartition(this.client, { tableName: this.tableName, pk: slaConfigPartition });
    return {
      defaults: slaDefaultsFromItems(items),
      policies: items.filter((item) => item.entity === slaPolicyEntity.tag).map((item) => slaDocumentFromItem<SlaPolicy>(item)),
      calendars: items.filter((item) => item.entity === slaCalendarEntity.tag).map((item) => slaDocumentFromItem<BusinessCalendar>(item)),
    };
  }

  async getSla(caseId: string): Promise<CaseSla | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: slaKey(caseId), ConsistentRead: true }));
    return result.Item ? slaFromItem(result.Item) : null;
  }

  async getCaseAndSla(caseId: string): Promise<{ case: Case | null; sla: CaseSla | null }> {
    const result = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: [caseKey(caseId), slaKey(caseId)], ConsistentRead: true } },
      }),
    );
    // Two small items never exceed BatchGetItem's limits, so nothing comes back unprocessed but under
    // throttling; then read them one by one rather than answer without them.
    if (Object.keys(result.UnprocessedKeys ?? {}).length > 0) {
      const [c, sla] = await Promise.all([
        this.client.send(new GetCommand({ TableName: this.tableName, Key: caseKey(caseId), ConsistentRead: true })),
        this.getSla(caseId),
      ]);
      return { case: c.Item ? caseEntity.fromItem(c.Item) : null, sla };
    }
    const items = result.Responses?.[this.tableName] ?? [];
    const caseFound = items.find((item) => item.entity === caseEntity.tag);
    const slaFound = items.find((item) => item.entity === slaEntity.tag);
    return { case: caseFound ? caseEntity.fromItem(caseFound) : null, sla: slaFound ? slaFromItem(slaFound) : null };
  }

  async commitSla(commit: SlaCommit): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.put(
      slaItem(commit.sla),
      commit.expectedVersion === 0
        ? { expression: 'attribute_not_exists(PK)', onConflict: 'version' }
        : { expression: 'version = :expected', values: { ':expected': commit.expectedVersion }, onConflict: 'version' },
    );
    if (commit.caseChange) {
      transaction.put(caseItem(commit.caseChange.case), {
        expression: 'version = :expected',
        values: { ':expected': commit.caseChange.expectedVersion },
        onConflict: 'version',
      });
      for (const entry of commit.caseChange.timeline) transaction.put(timelineItem(entry));
    }
    for (const message of commit.messages ?? [])
      transaction.put(messageItem(message), { expression: 'attribute_not_exists(PK)', onConflict: 'duplicate' });
    await transaction.send(this.client);
  }

  async setCaseFlag(caseId: string, flag: SlaFlag | null, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: caseKey(caseId),
          UpdateExpression: 'SET slaState = :flag, version = :next',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':flag': flag, ':next': expectedVersion + 1, ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listAtRisk(queue: string, limit: number): Promise<CaseSla[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': atRiskPartition(queue) },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => slaFromItem(item));
  }

  putPolicy(policy: Versioned<SlaPolicy>): Promise<void> {
    return this.putDocument('POLICY', policy);
  }

  putCalendar(calendar: Versioned<BusinessCalendar>): Promise<void> {
    return this.putDocument('CALENDAR', calendar);
  }

  /** The current version and its history entry together, only if the stored version is the one before. */
  private async putDocument(kind: SlaDocumentKind, document: Versioned<{ name: string }>): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.put(
      slaDocumentItem(kind, document),
      document.version === 1
        ? { expression: 'attribute_not_exists(PK)', onConflict: 'version' }
        : { expression: 'version = :previous', values: { ':previous': document.version - 1 }, onConflict: 'version' },
    );
    transaction.put(slaDocumentVersionItem(kind, document), { expression: 'attribute_not_exists(PK)', onConflict: 'version' });
    await transaction.send(this.client);
  }
}
