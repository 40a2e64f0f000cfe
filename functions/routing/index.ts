/**
 * The routing feature's public entry: what other features may use of its domain and use cases.
 * Everything else under functions/routing/ is the feature's own.
 */
export { type ContactLoadStore, type RoutingStore, WORK_STATUSES, type WorkRecord } from './domain/routing-ports.js';
export type { RoutingSettings } from './domain/routing-settings.js';
export type { RoutingStep } from './domain/routing-steps.js';
export { needsAgent } from './domain/work-for-case.js';
