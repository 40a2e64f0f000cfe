/**
 * The agents feature's adapters that other features' adapters and composition roots use (stores,
 * item formats). Handlers and use cases of other features never import this.
 */
export { agentStateUpdate, profilePresenceUpdate } from './dynamodb/agent-state-update.js';
export { DynamoAgentStore } from './dynamodb/agent-store.js';
export { liveFrom, queryStaffItems, staffFrom } from './dynamodb/staff.js';
