import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type AlongsideWrite, CommitConflict } from '../../domain/commit-conflict.js';
import { failedTransactionItems, transactWrite } from './transaction-errors.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type ConflictReason = CommitConflict['reason'];

/** When several conditions fail at once, the most telling reason wins (a duplicate ends the work). */
const PRECEDENCE: ConflictReason[] = ['duplicate', 'missing', 'sequence', 'identity', 'version', 'dependent'];

/** The `store` of writes built by DynamoDB stores, which only DynamoDB stores take (see `AlongsideWrite`). */
const DYNAMODB_STORE = 'dynamodb';

/**
 * Collects the items of one TransactWriteItems request, each with what its failing condition
 * would mean, so a cancelled transaction becomes the domain's `CommitConflict` with the right reason.
 */
export class TransactionBuilder {
  private readonly items: TransactItem[] = [];
  private readonly reasons: (ConflictReason | null)[] = [];

  constructor(readonly tableName: string) {}

  /** Adds an item; `onConflict` is null for items without a condition. */
  add(item: TransactItem, onConflict: ConflictReason | null = null): this {
    this.items.push(item);
    this.reasons.push(onConflict);
    return this;
  }

  put(
    item: Record<string, unknown>,
    condition?: { expression: string; values?: Record<string, unknown>; names?: Record<string, string>; onConflict: ConflictReason },
  ): this {
    return this.add(
      {
        Put: {
          TableName: this.tableName,
          Item: item,
          ...(condition
            ? {
                ConditionExpression: condition.expression,
                ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
                ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
              }
            : {}),
        },
      },
      condition?.onConflict ?? null,
    );
  }

  /** Adds another feature's writes (see `AlongsideWrite`): any of their conditions failing is `dependent`. */
  addAlongside(writes: readonly AlongsideWrite[] = []): this {
    for (const write of writes) {
      if (write.store !== DYNAMODB_STORE) throw new Error(`a DynamoDB transaction cannot carry a write of the ${write.store} store`);
      this.add(write.write as TransactItem, 'dependent');
    }
    return this;
  }

  /** This transaction's items as writes another DynamoDB store's commit carries instead of sending them. */
  asAlongside(): AlongsideWrite[] {
    return this.items.map((write) => ({ store: DYNAMODB_STORE, write }));
  }

  get size(): number {
    return this.items.length;
  }

  /** Sends the transaction (one write request). @throws CommitConflict when a condition failed. */
  async send(client: DynamoDBDocumentClient): Promise<void> {
    try {
      await transactWrite(client, { TransactItems: this.items });
    } catch (error) {
      const failed = failedTransactionItems(error);
      if (!failed) throw error;
      const reasons = failed.map((index) => this.reasons[index] ?? 'version');
      throw new CommitConflict(PRECEDENCE.find((reason) => reasons.includes(reason)) ?? 'version');
    }
  }
}
