import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Case } from '#cases';
import type { Customer, Identity } from '#customers';
import type { CaseMessage } from '#cases';
import type { MailCommit, MailSnapshot, MailSnapshotRequest, MailStore } from '../../domain/email-ports.js';
import { identityKey } from '#customers';
import { addOpenCaseItems, caseItem, timelineItem } from '#cases/adapters';
import { caseFromItem, customerFromItem, messageFromItem } from '#tables/items';
import { keys } from '#tables/keys';
import { queryPartition } from '#platform/adapters/dynamodb/query-partition';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

type Item = Record<string, unknown>;

/** Seconds since the epoch, as DynamoDB's TTL wants them. */
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function messageItem(message: CaseMessage): Item {
  return { ...message, ...keys.message(message.caseId, message.id), entity: 'message' };
}

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
      keys.caseCounter(),
      ...request.identities.map((identity) => keys.identity(identity)),
      ...request.messageIds.map((id) => keys.messageId(id)),
      ...request.caseSequences.map((sequence) => keys.caseNumber(sequence)),
      keys.mailFingerprint(request.fingerprint),
      ...(request.acknowledgedSender ? [keys.acknowledgements(request.acknowledgedSender)] : []),
    ]);
    const byEntity = (entity: string) => found.filter((item) => item.entity === entity);
    const counter = found.find((item) => item.PK === keys.caseCounter().PK);
    const fingerprint = byEntity('mail-fingerprint')[0];
    const acknowledgements = byEntity('acknowledgements')[0];
    // Message-IDs are indexed lower-cased (mail systems change their case); answer in the caller's spelling.
    const caseIdByLowerCaseId = new Map(byEntity('message-id').map((item) => [String(item.messageId), String(item.caseId)]));
    return {
      lastCaseSequence: Number(counter?.sequence ?? 0),
      ownerByIdentity: new Map(
        byEntity('identity').map((item) => [identityKey({ type: item.type, value: item.value } as Identity), String(item.customerId)]),
      ),
      caseIdByMessageId: new Map(
        request.messageIds.flatMap((id) => {
          const caseId = caseIdByLowerCaseId.get(id.toLowerCase());
          return caseId ? [[id, caseId] as const] : [];
        }),
      ),
      caseIdBySequence: new Map(byEntity('case-number').map((item) => [Number(String(item.PK).split('#')[1]), String(item.caseId)])),
      // TTL deletes expired items lazily (within days), so expiry is checked here, not trusted to TTL.
      fingerprintCaseId: fingerprint && Date.parse(String(fingerprint.expiresAtIso)) > Date.now() ? String(fingerprint.caseId) : null,
      acknowledgedAt: acknowledgements ? (acknowledgements.sentAt as string[]) : null,
    };
  }

  async readCasesAndCustomer(
    caseIds: string[],
    customerId: string | null,
  ): Promise<{ cases: Map<string, Case>; customer: Customer | null }> {
    const wanted = [...caseIds.map((id) => keys.case(id)), ...(customerId ? [keys.customer(customerId)] : [])];
    if (wanted.length === 0) return { cases: new Map(), customer: null };
    const found = await this.batchGet(wanted);
    const customer = found.find((item) => item.entity === 'customer');
    return {
      cases: new Map(found.filter((item) => item.entity === 'case').map((item) => [String(item.id), caseFromItem(item)])),
      customer: customer ? customerFromItem(customer) : null,
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
      transaction.put(
        {
          ...keys.messageId(index.messageId),
          entity: 'message-id',
          messageId: index.messageId.toLowerCase(),
          caseId: index.caseId,
          messageItemId: index.messageItemId,
        },
        index.unique ? { expression: 'attribute_not_exists(PK)', onConflict: 'duplicate' } : undefined,
      );
    }
    for (const entry of commit.timeline) transaction.put(timelineItem(entry));
    if (commit.fingerprint) {
      transaction.put({
        ...keys.mailFingerprint(commit.fingerprint.value),
        entity: 'mail-fingerprint',
        caseId: commit.fingerprint.caseId,
        expiresAtIso: commit.fingerprint.expiresAt,
        expiresAt: epochSeconds(commit.fingerprint.expiresAt),
      });
    }
    if (commit.acknowledgements) {
      const { sender, expected, next, expiresAt } = commit.acknowledgements;
      transaction.put(
        { ...keys.acknowledgements(sender), entity: 'acknowledgements', sentAt: next, expiresAt: epochSeconds(expiresAt) },
        expected === null
          ? { expression: 'attribute_not_exists(PK)', onConflict: 'version' }
          : { expression: 'sentAt = :expected', values: { ':expected': expected }, onConflict: 'version' },
      );
    }
    await transaction.send(this.client);
  }

  async getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.message(caseId, messageItemId), ConsistentRead: true }),
    );
    return result.Item ? messageFromItem(result.Item) : null;
  }

  async claimDelivery(caseId: string, messageItemId: string, now: string, leaseUntil: string): Promise<'claimed' | 'held' | 'done'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(caseId, messageItemId),
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

  async completeDelivery(message: CaseMessage, providerMessageId: string, headerMessageIds: string[], at: string): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: keys.message(message.caseId, message.id),
          UpdateExpression:
            'SET delivery.#status = :sent, delivery.providerMessageId = :provider, delivery.leaseUntil = :none, sentAt = :at',
          ConditionExpression: 'delivery.#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':provider': providerMessageId, ':none': null, ':at': at },
        },
      },
      'version',
    );
    for (const messageId of headerMessageIds) {
      transaction.put({
        ...keys.messageId(messageId),
        entity: 'message-id',
        messageId: messageId.toLowerCase(),
        caseId: message.caseId,
        messageItemId: message.id,
      });
    }
    await transaction.send(this.client);
  }

  async failDelivery(caseId: string, messageItemId: string, error: string, final: boolean): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.message(caseId, messageItemId),
        UpdateExpression: 'SET delivery.#status = :next, delivery.#error = :error, delivery.leaseUntil = :none',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':next': final ? 'failed' : 'queued', ':error': error.slice(0, 1000), ':none': null },
      }),
    );
  }

  async listMessages(caseId: string): Promise<CaseMessage[]> {
    const items = await queryPartition(this.client, { tableName: this.tableName, pk: keys.case(caseId).PK, skPrefix: keys.messagePrefix });
    return items.map((item) => messageFromItem(item));
  }
}
