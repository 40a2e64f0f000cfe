import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredAttachment } from '#cases';
import { caseKey, messageEntity, messageKey, messagePrefix } from '#cases/adapters';
import { queryPartition } from '#platform/adapters/dynamodb/query-partition';
import type { QuarantineReleaseStore } from '../../domain/email-ports.js';

/** A case's message items on the cases table, for the release of its quarantined attachments. */
export class DynamoQuarantineReleaseStore implements QuarantineReleaseStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async messagesWithAttachments(caseId: string): Promise<{ id: string; attachments: StoredAttachment[] }[]> {
    const items = await queryPartition(this.client, { tableName: this.tableName, pk: caseKey(caseId).PK, skPrefix: messagePrefix });
    return items
      .filter((item) => item.entity === messageEntity.tag)
      .map((item) => messageEntity.fromItem(item))
      .filter((message) => message.attachments.length > 0)
      .map((message) => ({ id: message.id, attachments: message.attachments }));
  }

  async setAttachments(caseId: string, messageItemId: string, attachments: StoredAttachment[]): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: messageKey(caseId, messageItemId),
        UpdateExpression: 'SET attachments = :attachments',
        // Never creates a bare item where a message was deleted in the meantime.
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':attachments': attachments },
      }),
    );
  }
}
