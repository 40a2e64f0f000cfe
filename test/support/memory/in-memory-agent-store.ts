import type { Agent, Presence } from '#agents/domain/agent';
import type { AgentStore, AgentWithLoad } from '#agents/domain/agent-ports';

/** The agent-state table's staff records in memory, for unit tests. */
export class InMemoryAgentStore implements AgentStore {
  readonly agents = new Map<string, Agent>();
  readonly loads = new Map<string, number>();

  async listAgents(): Promise<AgentWithLoad[]> {
    return [...this.agents.values()].map((agent) => ({ ...structuredClone(agent), load: this.loads.get(agent.id) ?? 0 }));
  }

  async getAgent(id: string): Promise<AgentWithLoad | null> {
    const found = this.agents.get(id);
    return found ? { ...structuredClone(found), load: this.loads.get(id) ?? 0 } : null;
  }

  async putAgent(agent: Agent): Promise<void> {
    this.agents.set(agent.id, structuredClone(agent));
  }

  async setPresence(agentId: string, presence: Presence, at: string): Promise<void> {
    const found = this.agents.get(agentId);
    if (found) this.agents.set(agentId, { ...found, presence, updatedAt: at });
  }
}
