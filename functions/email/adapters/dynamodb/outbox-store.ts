import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseMessage } from '#cases';
import { messageEntity, messageIdItem, messageKey } from '#cases/adapters';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';
import type { DeliveryFailure, OutboxRetry, OutboxStore, SendIntent } from '../../domain/email-ports.js';
import {
  outboxRetryDueBound,
  outboxRetryItem,
  outboxRetryKey,
  outboxRetryPartition,
  outboxSendItem,
  outboxSendKey,
} from './outbox-item.js';

type Typed = Record<string, { S?: string; L?: { S?: string }[]; M?: Typed } | undefined>;

/** The outbox on the cases table: message items' delivery, their send records and the retry partition. */
export class DynamoOutboxStore implements OutboxStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: messageKey(caseId, messageItemId), ConsistentRead: true }),
    );
    return result.Item ? messageEntity.fromItem(result.Item) : null;
  }

  async claimDelivery(caseId: string, messageItemId: string, now: string, leaseUntil: string): Promise<'claimed' | 'held' | 'done'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(caseId, messageItemId),
          UpdateExpression: 'SET delivery.#status = :sending, delivery.leaseUntil = :lease, delivery.attempts = delivery.attempts + :one',
          ConditionExpression: 'delivery.#status = :queued OR (delivery.#status = :sending AND delivery.leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':queued': 'queued', ':lease': leaseUntil, ':now': now, ':one': 1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The document client leaves the item of a failed condition in DynamoDB's typed form.
      const delivery = error.Item?.delivery as { M?: { status?: { S?: string } }; status?: string } | undefined;
      const status = delivery?.M?.status?.S ?? delivery?.status ?? null;
      return status === 'sending' ? 'held' : 'done';
    }
  }

  async beginSend(message: CaseMessage, intent: { intentId: string; leaseUntil: string; now: string }): Promise<SendIntent> {
    const record = outboxSendItem(
      {
        messageItemId: message.id,
        caseId: message.caseId,
        state: 'intent',
        intentId: intent.intentId,
        leaseUntil: intent.leaseUntil,
        providerMessageId: null,
        headerMessageIds: [],
      },
      intent.now,
    );
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(PK) OR #state = :released',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':released': 'released' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { state: 'go' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = (error.Item ?? {}) as Typed;
      if (old.state?.S === 'accepted') {
        return {
          state: 'accepted',
          providerMessageId: old.providerMessageId?.S ?? '',
          headerMessageIds: (old.headerMessageIds?.L ?? []).map((id) => id.S ?? '').filter(Boolean),
        };
      }
      if ((old.leaseUntil?.S ?? '') >= intent.now) return { state: 'in_progress' };
      return { state: 'in_doubt', intentId: old.intentId?.S ?? '' };
    }
  }

  async recordAccepted(messageItemId: string, intentId: string, sent: { providerMessageId: string; headerMessageIds: string[] }) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: outboxSendKey(messageItemId),
        UpdateExpression: 'SET #state = :accepted, providerMessageId = :provider, headerMessageIds = :ids',
        ConditionExpression: 'intentId = :intent',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':accepted': 'accepted',
          ':provider': sent.providerMessageId,
          ':ids': sent.headerMessageIds,
          ':intent': intentId,
        },
      }),
    );
  }

  async completeDelivery(message: CaseMessage, providerMessageId: string, headerMessageIds: string[], at: string): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: messageKey(message.caseId, message.id),
          UpdateExpression:
            'SET delivery.#status = :sent, delivery.providerMessageId = :provider, delivery.leaseUntil = :none, delivery.#error = :none, sentAt = :at',
          ConditionExpression: 'delivery.#status = :sending',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':provider': providerMessageId, ':none': null, ':at': at },
        },
      },
      'version',
    );
    for (const messageId of headerMessageIds) {
      transaction.put(messageIdItem({ messageId, caseId: message.caseId, messageItemId: message.id }));
    }
    await transaction.send(this.client);
  }

  async failDelivery(caseId: string, messageItemId: string, failure: DeliveryFailure): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: messageKey(caseId, messageItemId),
          UpdateExpression: `SET delivery.#status = :next, delivery.#error = :error, delivery.leaseUntil = :none, delivery.retryAt = :retryAt${
            failure.refundAttempt ? ', delivery.attempts = delivery.attempts - :one' : ''
          }`,
          ConditionExpression: 'delivery.#status = :sending',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ':next': failure.next,
            ':error': failure.error.slice(0, 1000),
            ':none': null,
            ':retryAt': failure.retryAt,
            ':sending': 'sending',
            ...(failure.refundAttempt ? { ':one': 1 } : {}),
          },
        },
      },
      'version',
    );
    if (failure.releaseIntent !== null) {
      transaction.add(
        {
          Update: {
            TableName: this.tableName,
            Key: outboxSendKey(messageItemId),
            UpdateExpression: 'SET #state = :released',
            ConditionExpression: 'intentId = :intent',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':released': 'released', ':intent': failure.releaseIntent },
          },
        },
        'version',
      );
    }
    if (failure.next === 'retrying' && failure.retryAt !== null) {
      transaction.put(outboxRetryItem({ retryAt: failure.retryAt, caseId, messageItemId }));
    }
    await transaction.send(this.client);
  }

  async listDueRetries(now: string, limit: number): Promise<OutboxRetry[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK < :bound',
        ExpressionAttributeValues: { ':pk': outboxRetryPartition(), ':bound': outboxRetryDueBound(now) },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map((item) => ({
      retryAt: String(item.retryAt),
      caseId: String(item.caseId),
      messageItemId: String(item.messageItemId),
    }));
  }

  async requeue(retry: OutboxRetry): Promise<boolean> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add({ Delete: { TableName: this.tableName, Key: outboxRetryKey(retry) } });
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: messageKey(retry.caseId, retry.messageItemId),
          UpdateExpression: 'SET delivery.#status = :queued, delivery.retryAt = :none',
          ConditionExpression: 'delivery.#status = :retrying',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued', ':retrying': 'retrying', ':none': null },
        },
      },
      'version',
    );
    try {
      await transaction.send(this.client);
      return true;
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      // The message moved on (an operator queued it, a merge removed it): the retry is moot.
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: outboxRetryKey(retry) }));
      return false;
    }
  }
}
