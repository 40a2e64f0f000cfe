import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AcceptanceStore } from '../../domain/routing-ports.js';
import { caseItem, timelineItem } from '#cases/adapters';
import { workItemKey } from './work-item.js';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

/**
 * Accepting work writes both tables in one transaction (TransactWriteItems spans tables of one
 * account and region): the work item in the agent-state table, the case and its audit entry in
 * the cases table.
 */
export class DynamoAcceptanceStore implements AcceptanceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { agentState: string; cases: string },
  ) {}

  async commitAcceptance(commit: Parameters<AcceptanceStore['commitAcceptance']>[0]): Promise<void> {
    const transaction = new TransactionBuilder(this.tables.agentState);
    transaction.add(
      {
        Update: {
          TableName: this.tables.agentState,
          Key: workItemKey(commit.workId),
          UpdateExpression: 'SET #status = :accepted, acceptedAt = :at',
          ConditionExpression: '#owner = :agent AND #status = :offered AND offerId = :offerId AND offerExpiresAt >= :at',
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
          ExpressionAttributeValues: {
            ':accepted': 'accepted',
            ':at': commit.at,
            ':agent': commit.agentId,
            ':offered': 'offered',
            ':offerId': commit.offerId,
          },
        },
      },
      'duplicate',
    );
    transaction.add(
      {
        Put: {
          TableName: this.tables.cases,
          Item: caseItem(commit.case),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': commit.expectedVersion },
        },
      },
      'version',
    );
    for (const entry of commit.timeline) transaction.add({ Put: { TableName: this.tables.cases, Item: timelineItem(entry) } });
    await transaction.send(this.client);
  }
}
