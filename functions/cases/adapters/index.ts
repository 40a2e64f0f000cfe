/**
 * The cases feature's adapters that other features' adapters and composition roots use (stores,
 * item formats). Handlers and use cases of other features never import this.
 */
export { caseAccessDepsFromEnv } from './case-access-from-env.js';
export { caseDepsFromEnv } from './case-deps-from-env.js';
export { caseSettingsFromEnv } from './case-settings-from-env.js';
export { caseEntity, caseFromItem, caseIndexPartition, caseItem, caseKey } from './dynamodb/case-item.js';
export { caseNumberEntity, caseNumberKey } from './dynamodb/case-number-item.js';
export { addOpenCaseItems, DynamoCaseStore } from './dynamodb/case-store.js';
export { caseCounterKey, counterEntity } from './dynamodb/counter-item.js';
export { DynamoCustomerDirectory } from './dynamodb/customer-directory.js';
export { messageEntity, messageFromItem, messageItem, messageKey, messagePrefix } from './dynamodb/message-item.js';
export { messageIdEntity, messageIdItem, messageIdKey } from './dynamodb/message-id-item.js';
export { noteEntity, noteItem } from './dynamodb/note-item.js';
export { timelineEntity, timelineItem } from './dynamodb/timeline-item.js';
