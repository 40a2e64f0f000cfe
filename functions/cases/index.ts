/**
 * The cases feature's public entry: what other features may use of its domain and use cases.
 * Everything else under functions/cases/ is the feature's own.
 */
export {
  type Case,
  CASE_LIMITS,
  CASE_RELATIONS,
  type CaseRelation,
  type CaseStatus,
  type Channel,
  CHANNELS,
  PRIORITIES,
  type Priority,
  type SlaFlag,
  STATUSES,
} from './domain/case.js';
export {
  type CaseMessage,
  MESSAGE_KINDS,
  queuedEmail,
  type StoredAttachment,
  THREADING_METHODS,
  type ThreadingConfidence,
  type ThreadingMethod,
} from './domain/case-message.js';
export {
  AGENT_CASE_ACCESS,
  type AgentCaseAccess,
  canSeeCase,
  caseViewer,
  type CaseViewer,
  SEE_ALL_CASES_ROLES,
  SEES_ALL,
} from './domain/case-access.js';
export { parseCaseNumber } from './domain/case-number.js';
export type { CaseEndings, CaseStore, CustomerHistoryStore, Note, OpenCaseCommit, StaffQueues } from './domain/case-ports.js';
export type { CaseSettings, QueueSettings } from './domain/queue-settings.js';
export { diffCase, type TimelineEntry } from './domain/timeline.js';
export { caseMetrics, transition } from './domain/transition.js';
export { buildNewCase, ownerOf, resolveCustomer } from './use-cases/case-intake.js';
export { assertCanSee, type CaseAccessDeps, loadCaseFor, viewerOf, visibleCaseId } from './use-cases/case-access.js';
export type { CaseDeps } from './use-cases/deps.js';
export { getCaseDetail } from './use-cases/get-case-detail.js';
export { resolveCaseId } from './use-cases/resolve-case-id.js';
/** The API's views of a case and a message (zod schemas: other features' responses show them). */
export { caseView, messageView, withDeliveryStatus } from './api/views.js';
