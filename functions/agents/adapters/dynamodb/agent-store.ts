import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Agent, Presence } from '../../domain/agent.js';
import type { AgentStore, AgentWithLoad } from '../../domain/agent-ports.js';
import { agentStateUpdate, profilePresenceUpdate } from './agent-state-update.js';
import { agentFromItem, agentItem, agentKey } from './agent-item.js';
import { agentStateKey } from './agent-state-item.js';
import { queryStaffItems, staffFrom } from './staff.js';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

type Item = Record<string, unknown>;

const withLoad = (profile: Item, state: Item | undefined): AgentWithLoad => ({ ...agentFromItem(profile), load: Number(state?.load ?? 0) });

/** Staff profiles and their live state in the agent-state table, as the domain's `AgentStore`. */
export class DynamoAgentStore implements AgentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listAgents(): Promise<AgentWithLoad[]> {
    return staffFrom(await queryStaffItems(this.client, this.tableName)).map(({ agent, live }) => ({ ...agent, load: live.load }));
  }

  async getAgent(id: string): Promise<AgentWithLoad | null> {
    const [profile, state] = await Promise.all(
      [agentKey(id), agentStateKey(id)].map((Key) =>
        this.client.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
      ),
    );
    return profile?.Item ? withLoad(profile.Item, state?.Item) : null;
  }

  async putAgent(agent: Agent): Promise<void> {
    await new TransactionBuilder(this.tableName)
      .put(agentItem(agent))
      .add({
        Update: agentStateUpdate(this.tableName, agent.id, { presence: agent.presence, capacity: agent.capacity, at: agent.updatedAt }),
      })
      .send(this.client);
  }

  async setPresence(agentId: string, presence: Presence, at: string): Promise<void> {
    const current = await this.getAgent(agentId);
    if (!current) return;
    await new TransactionBuilder(this.tableName)
      .add({ Update: profilePresenceUpdate(this.tableName, agentId, presence, at) })
      .add({ Update: agentStateUpdate(this.tableName, agentId, { presence, capacity: current.capacity, at }) })
      .send(this.client);
  }
}
