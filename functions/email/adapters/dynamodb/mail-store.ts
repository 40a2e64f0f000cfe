import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '#customers';
import type { Case, CaseMessage } from '#cases';
import type { DeliveryEvent, MailCommit, MailSnapshot, MailSnapshotRequest, MailStore } from '../../domain/email-ports.js';
import { identityKey } from '#customers';
import {
  addOpenCaseItems,
  caseCounterKey,
  caseEntity,
  caseItem,
  caseKey,
  caseNumberEntity,
  caseNumberKey,
  counterEntity,
  messageEntity,
  messageIdEntity,
  messageIdItem,
  messageIdKey,
  messageItem,
  messageKey,
  messagePrefix,
  timelineItem,
} from '#cases/adapters';
import { customerEntity, customerKey, identityEntity, identityItemKey } from '#customers/adapters';
import { acknowledgementsEntity, acknowledgementsItem, acknowledgementsKey } from './acknowledgements-item.js';
import { acknowledgementRateEntity, acknowledgementRateKey } from './acknowledgement-rate-item.js';
import { mailFingerprintEntity, mailFingerprintItem, mailFingerprintKey } from './mail-fingerprint-item.js';
import { mailSuppressionEntity, mailSuppressionItem, mailSuppressionKey } from './mail-suppression-item.js';
import { queryPartition } from '#platform/adapters/dynamodb/query-partition';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';
import { CommitConflict } from '#platform/domain/commit-conflict';

type Item = Record<string, unknown>;

/** The mail side of the cases table, as the domain's `MailStore`. */
export class DynamoMailStore implements MailStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Reads every key of a batch, asking again for the ones DynamoDB leaves unprocessed under load. */
  private async batchGet(keyList: Item[]): Promise<Item[]> {
    const found: Item[] = [];
    let pending = [...new Map(keyList.map((key) => [`${key.PK}|${key.SK}`, key])).values()];
    while (pending.length > 0) {
      const result = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending.slice(0, 100), ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[this.tableName] ?? []));
      pending = [...((result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[]), ...pending.slice(100)];
    }
    return found;
  }

  async readSnapshot(request: MailSnapshotRequest): Promise<MailSnapshot> {
    const found = await this.batchGet([
      caseCounterKey(),
      ...request.identities.map((identity) => identityItemKey(identity)),
      ...request.messageIds.map((id) => messageIdKey(id)),
      ...request.caseSequences.map((sequence) => caseNumberKey(sequence)),
      mailFingerprintKey(request.fingerprint),
      ...(request.acknowledgedSender
        ? [acknowledgementsKey(request.acknowledgedSender), mailSuppressionKey(request.acknowledgedSender)]
        : []),
    ]);
    const byEntity = (entity: { tag: string }) => found.filter((item) => item.entity === entity.tag);
    const counter = found.find((item) => item.PK === caseCounterKey().PK);
    // Message-IDs are indexed lower-cased (mail systems change their case); answer in the caller's spelling.
    const caseIdByLowerCaseId = new Map(
      byEntity(messageIdEntity).map((item) => [messageIdEntity.fromItem(item).messageId, messageIdEntity.fromItem(item).caseId]),
    );
    return {
      lastCaseSequence: counterEntity.fromItem(counter),
      ownerByIdentity: new Map(
        byEntity(identityEntity).map((item) => {
          const { identity, customerId } = identityEntity.fromItem(item);
          return [identityKey(identity), customerId];
        }),
      ),
      caseIdByMessageId: new Map(
        request.messageIds.flatMap((id) => {
          const caseId = caseIdByLowerCaseId.get(id.toLowerCase());
          return caseId ? [[id, caseId] as const] : [];
        }),
      ),
      caseIdBySequence: new Map(
        byEntity(caseNumberEntity).map((item) => [caseNumberEntity.fromItem(item).sequence, caseNumberEntity.fromItem(item).caseId]),
      ),
      // TTL deletes expired items lazily (within days), so expiry is checked, not trusted to TTL.
      fingerprintCaseId: mailFingerprintEntity.fromItem(byEntity(mailFingerprintEntity)[0]),
      acknowledgedAt: acknowledgementsEntity.fromItem(byEntity(acknowledgementsEntity)[0]),
      suppressed: byEntity(mailSuppressionEntity).length > 0,
    };
  }

  async readCasesAndCustomer(
    caseIds: string[],
    customerId: string | null,
  ): Promise<{ cases: Map<string, Case>; customer: Customer | null }> {
    const wanted = [...caseIds.map((id) => caseKey(id)), ...(customerId ? [customerKey(customerId)] : [])];
    if (wanted.length === 0) return { cases: new Map(), customer: null };
    const found = await this.batchGet(wanted);
    const customer = found.find((item) => item.entity === customerEntity.tag);
    return {
      cases: new Map(found.filter((item) => item.entity === caseEntity.tag).map((item) => [String(item.id), caseEntity.fromItem(item)])),
      customer: customer ? customerEntity.fromItem(customer) : null,
    };
  }

  async commit(commit: MailCommit): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    if (commit.newCase) addOpenCaseItems(transaction, commit.newCase);
    if (commit.changedCase) {
      transaction.put(caseItem(commit.changedCase.case), {
        expression: 'version = :expected',
        values: { ':expected': commit.changedCase.expectedVersion },
        onConflict: 'version',
      });
    }
    for (const message of commit.messages) transaction.put(messageItem(message));
    for (const index of commit.messageIds) {
      transaction.put(messageIdItem(index), index.unique ? { expression: 'attribute_not_exists(PK)', onConflict: 'duplicate' } : undefined);
    }
    for (const entry of commit.timeline) transaction.put(timelineItem(entry));
    if (commit.fingerprint) {
      transaction.put(mailFingerprintItem(commit.fingerprint));
    }
    if (commit.acknowledgements) {
      const { sender, expected, next, expiresAt } = commit.acknowledgements;
      transaction.put(
        acknowledgementsItem(sender, next, expiresAt),
        expected === null
          ? { expression: 'attribute_not_exists(PK)', onConflict: 'version' }
          : { expression: 'sentAt = :expected', values: { ':expected': expected }, onConflict: 'version' },
      );
    }
    await transaction.send(this.client);
  }

  async getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: messageKey(caseId, messageItemId), ConsistentRead: true }),
    );
    return result.Item ? messageEntity.fromItem(result.Item) : null;
  }

  async listMessages(caseId: string): Promise<CaseMessage[]> {
    const items = await queryPartition(this.client, { tableName: this.tableName, pk: caseKey(caseId).PK, skPrefix: messagePrefix });
    return items.map((item) => messageEntity.fromItem(item));
  }

  async takeAcknowledgementSlot(minute: string, limit: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: acknowledgementRateKey(minute),
          UpdateExpression: 'SET entity = :entity, expiresAt = if_not_exists(expiresAt, :expires) ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':entity': acknowledgementRateEntity.tag,
            ':expires': acknowledgementRateEntity.toItem(minute, 0).expiresAt as number,
            ':one': 1,
            ':limit': limit,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async findMessageByMessageId(messageIds: string[]): Promise<{ caseId: string; messageItemId: string } | null> {
    if (messageIds.length === 0) return null;
    const found = await this.batchGet(messageIds.map((id) => messageIdKey(id)));
    const index = found.filter((item) => item.entity === messageIdEntity.tag).map((item) => messageIdEntity.fromItem(item))[0];
    return index ? { caseId: index.caseId, messageItemId: index.messageItemId } : null;
  }

  async recordDeliveryEvent(event: DeliveryEvent): Promise<boolean> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: messageKey(event.caseId, event.messageItemId),
          UpdateExpression: 'SET delivery.#status = :status, delivery.#error = :error',
          ConditionExpression: 'attribute_exists(delivery) AND delivery.#status <> :status',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':status': event.status, ':error': event.error.slice(0, 1000) },
        },
      },
      'duplicate',
    );
    transaction.put(timelineItem(event.timeline));
    for (const suppression of event.suppress) transaction.put(mailSuppressionItem(suppression));
    try {
      await transaction.send(this.client);
      return true;
    } catch (error) {
      if (error instanceof CommitConflict && error.reason === 'duplicate') return false;
      throw error;
    }
  }
}
