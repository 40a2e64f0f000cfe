/**
 * The sla feature's public entry: what other features may use of its domain and use cases.
 * Everything else under functions/sla/ is the feature's own.
 */
export { type BusinessCalendar, openIntervals, type Weekday, WEEKDAYS } from './domain/business-calendar.js';
export { SlaConfig } from './domain/sla-config.js';
export { MILESTONES } from './domain/sla-policy.js';
export type { SlaStore } from './domain/sla-ports.js';
