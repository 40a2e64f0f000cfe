/**
 * The routing feature's adapters that other features' adapters and composition roots use (stores,
 * item formats). Handlers and use cases of other features never import this.
 */
export { DynamoRoutingStore } from './dynamodb/routing-store.js';
export { workEntity, workItemFromItem, workItemKey } from './dynamodb/work-item.js';
export { routingSettingsFromEnv } from './routing-settings-from-env.js';
