import * as z from 'zod';
import { CASE_RELATIONS, CHANNELS, PRIORITIES, STATUSES } from '../domain/case.js';
import { type CaseMessage, MESSAGE_KINDS, THREADING_METHODS } from '../domain/case-message.js';
import { customerView, TIERS } from '#customers';
import { page } from '#platform/api/schema-parts';
import { customFieldValue } from './schemas.js';
import { MERGE_STATUSES, type MergeJob } from '../domain/merge.js';

/**
 * What the API shows of cases, messages, notes and timelines. A view lists every field that may
 * leave the API: the reply token (what lets mail prove it belongs to a case) and the mail bucket's
 * object keys are not listed, so parsing with the view drops them.
 */

const customerSummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  tier: z.enum(TIERS),
});

export const caseView = z.object({
  id: z.string(),
  number: z.string(),
  subject: z.string(),
  description: z.string(),
  channel: z.enum(CHANNELS),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  category: z.string().nullable(),
  queue: z.string(),
  language: z.string().nullable(),
  customerId: z.string(),
  customer: customerSummary,
  assigneeId: z.string().nullable(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), customFieldValue),
  /** True while Amazon Connect routes a call of the case; routing waits for its end. Read-only. */
  connectCallInProgress: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  statusChangedAt: z.string(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  reopenCount: z.number().int(),
  firstResponseAt: z.string().nullable(),
  /** The customer's oldest unanswered message; null once an agent answered. */
  awaitingResponseSince: z.string().nullable(),
  /** Handling figures as of the last status change (`GET /cases/{id}/sla` derives the rest to now). */
  metrics: z.object({
    firstAssignedAt: z.string().nullable(),
    firstAcceptedAt: z.string().nullable(),
    lastResponseAt: z.string().nullable(),
    teamSeconds: z.number(),
    customerSeconds: z.number(),
  }),
  /** Set while a clock of the case is in warning or breached. */
  slaState: z.enum(['warning', 'breached']).nullable(),
  participants: z.array(z.string()),
  relatedCases: z.array(z.object({ caseId: z.string(), number: z.string(), relation: z.enum(CASE_RELATIONS) })),
});

const timelineEntryView = z.object({
  id: z.string(),
  caseId: z.string(),
  at: z.string(),
  actor: z.object({ kind: z.enum(['user', 'system']), id: z.string() }),
  action: z.string(),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  data: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Our outbound mail carries the case's reply token in a reference marker `[ref:CS-000123:<token>]`
 * (the email feature's `referenceMarker`), and customers' replies quote it: a message's text is
 * shown without it, so the token, which lets mail join the case, stays with the mail.
 */
const REFERENCE_MARKER = /[ \t]*(\r?\n[ \t>]*)*\[ref:CS-\d+:[^\]\s]*\]/gi;

export const withoutReferenceMarkers = (text: string): string => text.replace(REFERENCE_MARKER, '');

export const messageView = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  channel: z.enum(CHANNELS),
  kind: z.enum(MESSAGE_KINDS),
  from: z.string(),
  fromName: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  text: z.string().overwrite(withoutReferenceMarkers),
  /** The text was cut to 64 KiB; GET /cases/{id}/messages/{messageId}/raw serves the whole message. */
  textTruncated: z.boolean(),
  messageId: z.string(),
  attachments: z.array(
    z.object({ filename: z.string(), contentType: z.string(), size: z.number().int(), checksum: z.string(), inline: z.boolean() }),
  ),
  rejectedAttachments: z.array(z.object({ filename: z.string(), size: z.number().int(), reason: z.string() })),
  threading: z.object({ method: z.enum(THREADING_METHODS), confidence: z.enum(['high', 'medium', 'none']) }),
  automation: z.string().nullable(),
  authorId: z.string().nullable(),
  deliveryStatus: z.enum(['queued', 'sending', 'retrying', 'sent', 'failed', 'bounced', 'complained']).nullable(),
  createdAt: z.string(),
});

/** A message as its view reads it: the delivery status lifted out of the outbox record. */
export function withDeliveryStatus(message: CaseMessage): CaseMessage & { deliveryStatus: z.input<typeof messageView>['deliveryStatus'] } {
  return { ...message, deliveryStatus: message.delivery?.status ?? null };
}

export const noteView = z.object({ id: z.string(), caseId: z.string(), body: z.string(), authorId: z.string(), createdAt: z.string() });

/** A merge job and its progress. */
export const mergeView = z.object({
  /** The merge's id: the merged (source) case's id. */
  id: z.string(),
  sourceCaseId: z.string(),
  sourceNumber: z.string(),
  targetCaseId: z.string(),
  targetNumber: z.string(),
  /** `copying` while messages, notes and timeline entries move; `done` when the source holds no more. */
  status: z.enum(MERGE_STATUSES),
  /** Items moved so far. */
  moved: z.number().int(),
  /** Outbound mail of the source not yet sent: it moves once the outbox has sent it (or stays with the source, see docs). */
  heldBack: z.number().int(),
  requestedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** A merge job as its view reads it. */
export function mergeBody(job: MergeJob): z.input<typeof mergeView> {
  return { ...job, sourceCaseId: job.sourceId, targetCaseId: job.targetId };
}

export const caseDetailView = caseView.extend({
  /** The newest messages (at most 50), oldest first. */
  messages: z.array(messageView),
  /** Where `GET /cases/{id}/messages?cursor=` continues with the older messages; null when there are none. */
  messagesCursor: z.string().nullable(),
});
export const messagePageView = page(messageView);
export const casePageView = page(caseView);
export const timelinePageView = page(timelineEntryView);
export const customerWithCasesView = z.object({
  customer: customerView,
  /** The customer's cases the caller may see. */
  cases: z.array(caseView),
  nextCursor: z.string().nullable(),
  /** How many of the customer's cases the caller may not see (cases of queues they do not serve). */
  hiddenCases: z.number().int().min(0),
});
