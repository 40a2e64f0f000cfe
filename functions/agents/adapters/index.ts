/**
 * The agents feature's adapters that other features' adapters and composition roots use (stores,
 * item formats). Handlers and use cases of other features never import this.
 */
export { agentEntity, agentFromItem, agentItem, agentKey, agentListPartition } from './dynamodb/agent-item.js';
export { agentStateEntity, agentStateKey, liveFrom } from './dynamodb/agent-state-item.js';
export { agentStateUpdate, profilePresenceUpdate } from './dynamodb/agent-state-update.js';
export { DynamoAgentStore } from './dynamodb/agent-store.js';
export { queryStaffItems, staffFrom } from './dynamodb/staff.js';
