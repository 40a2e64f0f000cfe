/**
 * The cases feature's adapters that other features' adapters and composition roots use (stores,
 * item formats). Handlers and use cases of other features never import this.
 */
export { caseDepsFromEnv } from './case-deps-from-env.js';
export { caseSettingsFromEnv } from './case-settings-from-env.js';
export { addOpenCaseItems, caseItem, DynamoCaseStore, timelineItem } from './dynamodb/case-store.js';
export { DynamoCustomerDirectory } from './dynamodb/customer-directory.js';
