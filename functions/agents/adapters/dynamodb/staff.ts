import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Presence, StaffMember } from '../../domain/agent.js';
import { agentFromItem } from '#tables/items';
import { keys } from '#tables/keys';
import { queryAllPages } from '#platform/adapters/dynamodb/query-partition';

type Item = Record<string, unknown>;

/** Every profile and live state of the staff: the GSI1 `AGENTS` partition holds both. */
export function queryStaffItems(client: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  return queryAllPages(client, {
    TableName: tableName,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.agentListPartition },
  });
}

/** An agent's live state item as routing reads it; the profile fills in what a missing state lacks. */
export function liveFrom(agentId: string, state: Item | undefined, profile: Item | null): StaffMember['live'] {
  return {
    agentId,
    presence: (state?.presence ?? profile?.presence ?? 'offline') as Presence,
    load: Number(state?.load ?? 0),
    capacity: Number(state?.capacity ?? profile?.capacity ?? 0),
    idleSince: (state?.idleSince as string | null | undefined) ?? null,
    connectAgentArn: (state?.connectAgentArn as string | undefined) ?? null,
  };
}

/** Pairs each profile with its live state (the state item sits beside the profile). */
export function staffFrom(items: Item[]): StaffMember[] {
  const states = new Map(items.filter((item) => item.entity === 'agent-state').map((item) => [String(item.agentId), item]));
  return items
    .filter((item) => item.entity === 'agent')
    .map((profile) => {
      const agent = agentFromItem(profile);
      return { agent, live: liveFrom(agent.id, states.get(agent.id), profile) };
    });
}
