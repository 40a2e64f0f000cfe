import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { SlaFlag } from '#cases';
import type { BusinessCalendar } from '../../domain/business-calendar.js';
import type { CaseSla } from '../../domain/sla-clock.js';
import type { StoredSlaConfig } from '../../domain/sla-config.js';
import type { SlaPolicy, Versioned } from '../../domain/sla-policy.js';
import type { SlaCommit, SlaStore } from '../../domain/sla-ports.js';
import { caseItem, timelineItem } from '#cases/adapters';
import { caseFromItem } from '#tables/items';
import { keys } from '#tables/keys';
import { slaDefaultsFromItems } from './sla-defaults-item.js';
import { messageItem } from '#email/adapters';
import { queryPartition } from '#platform/adapters/dynamodb/query-partition';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

type Item = Record<string, unknown>;

/** The record as stored: the domain record, its keys, and the at-risk index keys while at risk. */
export function slaItem(sla: CaseSla): Item {
  return {
    ...sla,
    ...keys.caseSla(sla.caseId),
    ...(sla.atRisk ? keys.atRiskIndex({ queue: sla.case.queue, dueAt: sla.atRisk.dueAt, caseId: sla.caseId }) : {}),
    entity: 'sla',
  };
}

/** Item → record, field by field, so key attributes stay out of the domain. */
export function slaFromItem(item: Item): CaseSla {
  return {
    caseId: item.caseId as string,
    caseVersion: item.caseVersion as number,
    version: item.version as number,
    case: item.case as CaseSla['case'],
    clocks: (item.clocks as CaseSla['clocks'] | undefined) ?? [],
    history: (item.history as CaseSla['history'] | undefined) ?? [],
    atRisk: (item.atRisk as CaseSla['atRisk'] | undefined) ?? null,
    updatedAt: item.updatedAt as string,
  };
}

function documentFrom<T>(item: Item): Versioned<T> {
  return {
    value: item.value as T,
    version: item.version as number,
    updatedAt: (item.updatedAt as string | undefined) ?? null,
    updatedBy: (item.updatedBy as string | undefined) ?? null,
  };
}

/** SLA records and configuration in the cases table. */
export class DynamoSlaStore implements SlaStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async readConfig(): Promise<StoredSlaConfig> {
    const items = await queryPartition(this.client, { tableName: this.tableName, pk: keys.slaConfigPartition });
    return {
      defaults: slaDefaultsFromItems(items),
      policies: items.filter((item) => item.entity === 'sla-policy').map((item) => documentFrom<SlaPolicy>(item)),
      calendars: items.filter((item) => item.entity === 'sla-calendar').map((item) => documentFrom<BusinessCalendar>(item)),
    };
  }

  async getSla(caseId: string): Promise<CaseSla | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.caseSla(caseId), ConsistentRead: true }));
    return result.Item ? slaFromItem(result.Item) : null;
  }

  async getCaseAndSla(caseId: string): Promise<{ case: ReturnType<typeof caseFromItem> | null; sla: CaseSla | null }> {
    const result = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: [keys.case(caseId), keys.caseSla(caseId)], ConsistentRead: true } },
      }),
    );
    // Two small items never exceed BatchGetItem's limits, so nothing comes back unprocessed but under
    // throttling; then read them one by one rather than answer without them.
    if (Object.keys(result.UnprocessedKeys ?? {}).length > 0) {
      const [c, sla] = await Promise.all([
        this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.case(caseId), ConsistentRead: true })),
        this.getSla(caseId),
      ]);
      return { case: c.Item ? caseFromItem(c.Item) : null, sla };
    }
    const items = result.Responses?.[this.tableName] ?? [];
    const caseFound = items.find((item) => item.entity === 'case');
    const slaFound = items.find((item) => item.entity === 'sla');
    return { case: caseFound ? caseFromItem(caseFound) : null, sla: slaFound ? slaFromItem(slaFound) : null };
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
          Key: keys.case(caseId),
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
        ExpressionAttributeValues: { ':pk': keys.atRiskPartition(queue) },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => slaFromItem(item));
  }

  putPolicy(policy: Versioned<SlaPolicy>): Promise<void> {
    return this.putDocument('POLICY', 'sla-policy', keys.slaPolicy(policy.value.name), policy);
  }

  putCalendar(calendar: Versioned<BusinessCalendar>): Promise<void> {
    return this.putDocument('CALENDAR', 'sla-calendar', keys.slaCalendar(calendar.value.name), calendar);
  }

  /** The current version and its history entry together, only if the stored version is the one before. */
  private async putDocument<T extends { name: string }>(
    kind: 'POLICY' | 'CALENDAR',
    entity: string,
    key: Item,
    document: Versioned<T>,
  ): Promise<void> {
    const body = {
      value: document.value,
      version: document.version,
      updatedAt: document.updatedAt,
      updatedBy: document.updatedBy,
      name: document.value.name,
    };
    const transaction = new TransactionBuilder(this.tableName);
    transaction.put(
      { ...key, ...body, entity },
      document.version === 1
        ? { expression: 'attribute_not_exists(PK)', onConflict: 'version' }
        : { expression: 'version = :previous', values: { ':previous': document.version - 1 }, onConflict: 'version' },
    );
    transaction.put(
      { ...keys.slaConfigVersion(kind, document.value.name, document.version), ...body, entity: `${entity}-version` },
      { expression: 'attribute_not_exists(PK)', onConflict: 'version' },
    );
    await transaction.send(this.client);
  }
}
