import * as z from 'zod';
import { TIERS } from '#customers';
import { route } from '#platform/api/route';
import { cursor, limit, page, SUPERVISION } from '#platform/api/schema-parts';
import { ATTEMPT_OUTCOMES, CALLBACK_STATUSES } from '../domain/callback.js';
import { MAX_REPORT_DAYS, resolveReportRange } from '../domain/missed-calls-report.js';

/** A report bound: a UTC date (the whole day) or an ISO instant. */
const reportBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'a date (YYYY-MM-DD) or an ISO instant (2026-11-23T09:00:00Z)',
});

const callbacksQuery = z.object({ status: z.enum(CALLBACK_STATUSES).optional(), limit, cursor }).strict();

const missedCallsReportQuery = z
  .object({ from: reportBound, to: reportBound })
  .strict()
  .superRefine((query, ctx) => {
    // The range rules live with the report (a date is its whole day; at most MAX_REPORT_DAYS days).
    for (const issue of resolveReportRange(query.from, query.to).issues)
      ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
  });

const callbackAttemptView = z.object({
  /** 1-based; the dial's idempotency token is `callback-<id>-<number>`. */
  number: z.number().int(),
  claimedAt: z.string(),
  dialledAt: z.string().nullable(),
  contactId: z.string().nullable(),
  /** The agent the dispatcher found free for the call (Connect's queue routes it). */
  agentId: z.string().nullable(),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  endedAt: z.string().nullable(),
  detail: z.string().nullable(),
});

const callbackView = z.object({
  id: z.string(),
  phone: z.string(),
  status: z.enum(CALLBACK_STATUSES),
  customerId: z.string(),
  caseId: z.string(),
  caseNumber: z.string(),
  queue: z.string(),
  language: z.string().nullable(),
  tier: z.enum(TIERS),
  /** 0 for VIP customers, 1 otherwise: dialled in this order, then by the first missed call. */
  priorityRank: z.number().int(),
  missedCount: z.number().int(),
  firstMissedAt: z.string(),
  lastMissedAt: z.string(),
  missedContactIds: z.array(z.string()),
  /** When the dispatcher looks at it next; null once finished. */
  nextAttemptAt: z.string().nullable(),
  attempts: z.array(callbackAttemptView),
  endReason: z.string().nullable(),
  finishedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

const callCounts = {
  missed: z.number().int(),
  /** Dials placed (each attempt). */
  dialled: z.number().int(),
  reached: z.number().int(),
  failed: z.number().int(),
};

const missedCallsReportView = z.object({
  from: z.string(),
  to: z.string(),
  hours: z.array(z.object({ hour: z.string(), ...callCounts })),
  totals: z.object(callCounts),
});

/** The callbacks API function's routes: missed-call callbacks and the missed-calls report. */
export const callbackRoutes = {
  listCallbacks: route({
    method: 'GET',
    path: '/callbacks',
    function: 'callbacks',
    access: SUPERVISION,
    summary: 'Missed-call callbacks, newest first, of one status or all, with every attempt and its outcome',
    query: callbacksQuery,
    success: { status: 200, view: page(callbackView), description: 'A page of callbacks' },
    errors: [400],
  }),
  missedCallsReport: route({
    method: 'GET',
    path: '/reports/missed-calls',
    function: 'callbacks',
    access: SUPERVISION,
    summary: `Missed calls per hour (UTC) and what became of them: called back (dials), reached, failed; and the totals, over at most ${MAX_REPORT_DAYS} days`,
    query: missedCallsReportQuery,
    success: { status: 200, view: missedCallsReportView, description: 'Every hour of the range and the totals' },
    errors: [400],
  }),
};

export const CALLBACK_ROUTES = Object.values(callbackRoutes);
