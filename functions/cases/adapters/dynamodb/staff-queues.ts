import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { agentFromItem, agentKey } from '#agents/adapters';
import type { StaffQueues } from '../../domain/case-ports.js';

/** The queues on a member of staff's profile in the agent-state table (one consistent read). */
export class DynamoStaffQueues implements StaffQueues {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async queuesServedBy(agentId: string): Promise<readonly string[]> {
    // Consistent: an admin who just took a queue away expects the next request to honour it.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: agentKey(agentId), ConsistentRead: true }));
    return Item ? agentFromItem(Item).queues : [];
  }
}
