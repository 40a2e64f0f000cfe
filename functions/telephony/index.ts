/**
 * The telephony feature's public entry: what other features may use of its domain and use cases.
 * Everything else under functions/telephony/ is the feature's own.
 */
export { ATTEMPT_OUTCOMES, CALLBACK_STATUSES } from './domain/callback.js';
export { MAX_REPORT_DAYS, resolveReportRange } from './domain/missed-calls-report.js';
export { cancelCallbacksOfCase } from './use-cases/cancel-callbacks-of-case.js';
