import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { agentItem } from '#agents/adapters';
import { demoStaff } from './demo-data.js';

/**
 * Seeds the demo staff into the agent-state table. A record that exists is left alone, so changes
 * made while running survive a restart; `--reset` starts from the seed again.
 */
export async function seedDemoData(client: DynamoDBDocumentClient, agentStateTable: string, now: string): Promise<number> {
  let created = 0;
  for (const agent of demoStaff(now)) {
    try {
      await client.send(
        new PutCommand({
          TableName: agentStateTable,
          Item: agentItem(agent),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      created += 1;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return created;
}
