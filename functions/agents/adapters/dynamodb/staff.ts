import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StaffMember } from '../../domain/agent.js';
import { agentEntity, agentListPartition } from './agent-item.js';
import { agentStateEntity, liveFrom } from './agent-state-item.js';
import { queryAllPages } from '#platform/adapters/dynamodb/query-partition';

type Item = Record<string, unknown>;

/** Every profile and live state of the staff: the GSI1 `AGENTS` partition holds both. */
export function queryStaffItems(client: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  return queryAllPages(client, {
    TableName: tableName,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': agentListPartition },
  });
}

/** Pairs each profile with its live state (the state item sits beside the profile). */
export function staffFrom(items: Item[]): StaffMember[] {
  const states = new Map(items.filter((item) => item.entity === agentStateEntity.tag).map((item) => [String(item.agentId), item]));
  return items
    .filter((item) => item.entity === agentEntity.tag)
    .map((profile) => {
      const agent = agentEntity.fromItem(profile);
      return { agent, live: liveFrom(agent.id, states.get(agent.id), profile) };
    });
}
