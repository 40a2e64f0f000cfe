/**
 * The agents feature's public entry: what other features may use of its domain and use cases.
 * Everything else under functions/agents/ is the feature's own.
 */
export { type Agent, type AgentLoad, type Presence, PRESENCES, type Skill, type StaffMember } from './domain/agent.js';
export type { AgentStore } from './domain/agent-ports.js';
