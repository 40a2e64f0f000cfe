import type { Agent, Presence } from './agent.js';

/** An agent with the live load routing holds on their capacity. */
export type AgentWithLoad = Agent & { load: number };

/** Persistence of staff (the agent-state table). */
export interface AgentStore {
  /** Every member of staff with their live load, in one request. */
  listAgents(): Promise<AgentWithLoad[]>;
  getAgent(id: string): Promise<AgentWithLoad | null>;
  /** Writes a profile, and the live state's capacity and presence, without touching the load. */
  putAgent(agent: Agent): Promise<void>;
  /** Sets presence on the profile and the live state together. */
  setPresence(agentId: string, presence: Presence, at: string): Promise<void>;
}
