import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Presence } from '#agents';
import type { CallbackAgent, CallbackStaff } from '../../domain/callback-ports.js';
import { agentEntity, agentStateEntity, queryStaffItems } from '#agents/adapters';

type Item = Record<string, any>;

/**
 * The staff as callbacks see them, from the agent-state table in one query (profiles and live
 * states share the GSI1 `AGENTS` partition): presence, whether Connect reports a contact of theirs
 * (the `contacts` the agent event stream keeps), and their Connect agent ARN.
 */
export class DynamoCallbackStaff implements CallbackStaff {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listAgents(): Promise<CallbackAgent[]> {
    const items = (await queryStaffItems(this.client, this.tableName)) as Item[];
    const states = new Map(items.filter((item) => item.entity === agentStateEntity.tag).map((item) => [String(item.agentId), item]));
    return items
      .filter((item) => item.entity === agentEntity.tag)
      .map((profile) => {
        const agent = agentEntity.fromItem(profile);
        const state = states.get(agent.id);
        return {
          id: agent.id,
          queues: agent.queues,
          skills: agent.skills,
          presence: (state?.presence ?? agent.presence) as Presence,
          onContact: Object.keys(state?.contacts ?? {}).length > 0,
          connectAgentArn: typeof state?.connectAgentArn === 'string' ? state.connectAgentArn : null,
        };
      });
  }
}
