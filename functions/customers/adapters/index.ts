/**
 * The customers feature's adapters that other features' adapters and composition roots use (stores,
 * item formats). Handlers and use cases of other features never import this.
 */
export { customerEntity, customerFromItem, customerIndex, customerItem, customerKey } from './dynamodb/customer-item.js';
export { DynamoCustomerStore } from './dynamodb/customer-store.js';
export { identityEntity, identityFromItem, identityItem, identityItemKey } from './dynamodb/identity-item.js';
