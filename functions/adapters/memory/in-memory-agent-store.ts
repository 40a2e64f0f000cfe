import type { Agent } from '../../domain/agents/agent.js';
import type { AgentStore } from '../../domain/ports.js';

/** The agent-state table's staff records in memory, for unit tests. */
export class InMemoryAgentStore implements AgentStore {
  readonly agents = new Map<string, Agent>();

  async listAgents(): Promise<Agent[]> {
    return [...this.agents.values()].map((agent) => structuredClone(agent));
  }

  async getAgent(id: string): Promise<Agent | null> {
    const found = this.agents.get(id);
    return found ? structuredClone(found) : null;
  }

  async putAgent(agent: Agent): Promise<void> {
    this.agents.set(agent.id, structuredClone(agent));
  }
}
