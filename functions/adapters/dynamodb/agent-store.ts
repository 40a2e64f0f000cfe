import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Agent } from '../../domain/agents/agent.js';
import type { AgentStore } from '../../domain/ports.js';
import { agentFromItem } from './items.js';
import { keys } from './keys.js';

/** Staff profiles in the agent-state table, as the domain's `AgentStore`. */
export class DynamoAgentStore implements AgentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listAgents(): Promise<Agent[]> {
    const agents: Agent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.agentListPartition },
          ExclusiveStartKey: startKey,
        }),
      );
      // The partition also holds each agent's live state item; only profiles are agents.
      agents.push(...(result.Items ?? []).filter((item) => item.entity === 'agent').map((item) => agentFromItem(item)));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return agents;
  }

  async getAgent(id: string): Promise<Agent | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.agent(id) }));
    return result.Item ? agentFromItem(result.Item) : null;
  }

  async putAgent(agent: Agent): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...agent, ...keys.agent(agent.id), ...keys.agentIndex(agent.id), entity: 'agent' } }),
    );
  }
}
