/**
 * The sla feature's public entry: what other features may use of its domain and use cases.
 * Everything else under functions/sla/ is the feature's own.
 */
export { type BusinessCalendar, openIntervals, type Weekday, WEEKDAYS } from './domain/business-calendar.js';
export { calendarIssues } from './domain/business-calendar.js';
export { type SlaDefaults, SlaConfig } from './domain/sla-config.js';
export { MILESTONES, policyIssues, type SlaPolicy } from './domain/sla-policy.js';
/** The deployment writes its default policies and calendars as this item (see lib/stacks/sla-stack.ts). */
export { slaDefaultsItem } from './adapters/dynamodb/sla-defaults-item.js';
export type { SlaStore } from './domain/sla-ports.js';
