import type { AgentWithLoad } from '../domain/agent-ports.js';
import type { AgentDeps } from './deps.js';

/** Everyone who takes work (agents and supervisors), by name. Admins who only configure are left out. */
export async function listAgents(deps: Pick<AgentDeps, 'agents'>): Promise<AgentWithLoad[]> {
  const staff = await deps.agents.listAgents();
  return staff
    .filter((agent) => agent.roles.includes('agents') || agent.roles.includes('supervisors'))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
