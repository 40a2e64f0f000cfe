import * as z from 'zod';
import { PRESENCES } from '#agents';
import type { Role } from '#platform/domain/actor';
import { ATTEMPT_OUTCOMES, CALLBACK_STATUSES } from '#telephony';
import { MAX_REPORT_DAYS, resolveReportRange } from '#telephony';
import { CASE_LIMITS, CASE_RELATIONS, CHANNELS, PRIORITIES, STATUSES } from '#cases';
import { TIERS } from '#customers';
import { MESSAGE_KINDS, THREADING_METHODS } from '#cases';
import { WORK_STATUSES } from '#routing';
import { WEEKDAYS, type Weekday } from '#sla';
import { MILESTONES } from '#sla';

/**
 * The HTTP API's contract: every route, who may call it, and the shape of what goes in and out.
 * The API stack builds API Gateway from it, the handlers validate with it, and the OpenAPI document
 * is generated from it, so the three cannot disagree.
 */

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _ (at most 64)');
const language = z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code such as pl, en or de');
const customFieldValue = z.union([z.string().max(CASE_LIMITS.customFieldValueMaxChars), z.number(), z.boolean(), z.null()]);
const customFields = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a field name of letters, digits and _'), customFieldValue)
  .refine((fields) => Object.keys(fields).length <= CASE_LIMITS.customFieldsMax, {
    message: `at most ${CASE_LIMITS.customFieldsMax} custom fields`,
  });
const tags = z.array(z.string().trim().min(1).max(CASE_LIMITS.tagMaxChars)).max(CASE_LIMITS.tagsMax);
/** Business minutes of an SLA target or delay: at most a year of them. */
const slaMinutes = z.number().int().min(1).max(525_600);
const openingPeriod = z
  .object({
    start: z.string().regex(/^\d{2}:\d{2}$/, 'a local time HH:MM'),
    end: z.string().regex(/^\d{2}:\d{2}$/, 'a local time HH:MM (24:00 for midnight)'),
  })
  .strict();
const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().max(2048).optional();
/** A report bound: a UTC date (the whole day) or an ISO instant. */
const reportBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'a date (YYYY-MM-DD) or an ISO instant (2026-11-23T09:00:00Z)',
});

export const schemas = {
  openCaseBody: z
    .object({
      subject: z.string().trim().min(1).max(CASE_LIMITS.subjectMaxChars),
      description: z.string().max(CASE_LIMITS.descriptionMaxChars),
      channel: z.enum(CHANNELS),
      customer: z
        .object({
          email: z.string().max(254).optional(),
          phone: z.string().max(32).optional(),
          name: z.string().max(200).optional(),
        })
        .strict()
        .refine((customer) => Boolean(customer.email || customer.phone), { message: 'give customer.email or customer.phone' }),
      priority: z.enum(PRIORITIES).optional(),
      category: slug.optional(),
      queue: slug.optional(),
      language: language.optional(),
      tags: tags.optional(),
      customFields: customFields.optional(),
    })
    .strict(),
  updateCaseBody: z
    .object({
      status: z.enum(STATUSES).optional(),
      reopen: z.boolean().optional(),
      priority: z.enum(PRIORITIES).optional(),
      category: slug.nullable().optional(),
      queue: slug.optional(),
      /** Supervisors and admins assign anyone (null unassigns); an agent may only give back their own case. */
      assigneeId: z.string().min(1).max(128).nullable().optional(),
      tags: tags.optional(),
      customFields: customFields.optional(),
      version: z.number().int().min(1).optional(),
    })
    .strict()
    .refine((body) => Object.keys(body).some((key) => key !== 'version' && key !== 'reopen'), {
      message: 'give at least one field to change',
    }),
  addNoteBody: z.object({ body: z.string().trim().min(1).max(CASE_LIMITS.noteMaxChars) }).strict(),
  mergeBody: z.object({ intoCaseId: z.string().min(1).max(64) }).strict(),
  replyBody: z
    .object({
      body: z.string().trim().min(1).max(CASE_LIMITS.descriptionMaxChars),
      cc: z.array(z.string().max(254)).max(10).optional(),
      awaitCustomer: z.boolean().optional(),
    })
    .strict(),
  listCasesQuery: z
    .object({
      status: z.enum(STATUSES).optional(),
      queue: slug.optional(),
      assigneeId: z.string().min(1).max(128).optional(),
      customerId: z.string().min(1).max(64).optional(),
      priority: z.enum(PRIORITIES).optional(),
      limit,
      cursor,
    })
    .strict(),
  pageQuery: z.object({ limit, cursor }).strict(),
  presenceBody: z.object({ status: z.enum(PRESENCES) }).strict(),
  agentBody: z
    .object({
      name: z.string().trim().min(1).max(200),
      email: z
        .string()
        .max(254)
        .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address'),
      connectUsername: z.string().min(1).max(100).nullable().optional(),
      roles: z.array(z.enum(['agents', 'supervisors', 'admins'])).min(1),
      skills: z
        .array(z.object({ skill: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), level: z.number().int().min(1).max(10) }).strict())
        .max(50),
      queues: z.array(z.string().min(1).max(64)).max(20),
      capacity: z.number().int().min(1).max(1000),
    })
    .strict(),
  slaPolicyBody: z
    .object({
      description: z.string().max(500).default(''),
      rank: z.number().int().min(0).max(1_000_000),
      enabled: z.boolean().default(true),
      match: z
        .object({
          priorities: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
          categories: z.array(slug).max(50).optional(),
          channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
          queues: z.array(slug).max(50).optional(),
          tiers: z.array(z.enum(TIERS)).max(TIERS.length).optional(),
        })
        .strict()
        .default({}),
      targets: z
        .object({
          firstResponseMinutes: slaMinutes.nullable(),
          nextResponseMinutes: slaMinutes.nullable(),
          resolutionMinutes: slaMinutes.nullable(),
        })
        .strict(),
      warningPercent: z.number().int().min(1).max(99).default(80),
      pauseOnHold: z.boolean().default(false),
      calendar: slug.nullable().default(null),
      secondLevelAfterMinutes: slaMinutes.nullable().default(null),
      /** The version the edit is based on (optimistic locking); absent: whatever is current. */
      version: z.number().int().min(0).optional(),
    })
    .strict(),
  slaCalendarBody: z
    .object({
      description: z.string().max(500).default(''),
      timeZone: z.string().min(1).max(64),
      weekly: z
        .object(
          Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(openingPeriod).max(12).default([])])) as Record<
            Weekday,
            z.ZodDefault<z.ZodArray<typeof openingPeriod>>
          >,
        )
        .strict(),
      holidays: z
        .array(
          z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'), name: z.string().max(200).default('') }).strict(),
        )
        .max(400)
        .default([]),
      version: z.number().int().min(0).optional(),
    })
    .strict(),
  atRiskQuery: z.object({ queue: slug.optional() }).strict(),
  callbacksQuery: z.object({ status: z.enum(CALLBACK_STATUSES).optional(), limit, cursor }).strict(),
  missedCallsReportQuery: z
    .object({ from: reportBound, to: reportBound })
    .strict()
    .superRefine((query, ctx) => {
      // The range rules live with the report (a date is its whole day; at most MAX_REPORT_DAYS days).
      for (const issue of resolveReportRange(query.from, query.to).issues)
        ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
    }),
  findCustomerQuery: z
    .object({ email: z.string().max(254).optional(), phone: z.string().max(32).optional() })
    .strict()
    .refine((query) => Boolean(query.email) !== Boolean(query.phone), { message: 'give exactly one of email or phone' }),
};

const customerSummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  tier: z.enum(TIERS),
});

const caseView = z.object({
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

const identity = z.object({ type: z.enum(['email', 'phone']), value: z.string() });
const customerView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  identities: z.array(identity),
  preferredLanguage: z.string().nullable(),
  tier: z.enum(TIERS),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
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

const messageView = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  channel: z.enum(CHANNELS),
  kind: z.enum(MESSAGE_KINDS),
  from: z.string(),
  fromName: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  messageId: z.string(),
  attachments: z.array(
    z.object({ filename: z.string(), contentType: z.string(), size: z.number().int(), checksum: z.string(), inline: z.boolean() }),
  ),
  rejectedAttachments: z.array(z.object({ filename: z.string(), size: z.number().int(), reason: z.string() })),
  threading: z.object({ method: z.enum(THREADING_METHODS), confidence: z.enum(['high', 'medium', 'none']) }),
  automation: z.string().nullable(),
  authorId: z.string().nullable(),
  deliveryStatus: z.enum(['queued', 'sending', 'sent', 'failed', 'bounced']).nullable(),
  createdAt: z.string(),
});

const noteView = z.object({ id: z.string(), caseId: z.string(), body: z.string(), authorId: z.string(), createdAt: z.string() });

const agentView = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  email: z.string(),
  connectUsername: z.string().nullable(),
  roles: z.array(z.enum(['agents', 'supervisors', 'admins'])),
  skills: z.array(z.object({ skill: z.string(), level: z.number().int().min(1).max(10) })),
  queues: z.array(z.string()),
  capacity: z.number().int(),
  presence: z.enum(PRESENCES),
  /** Capacity units held by offered and accepted work. */
  load: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const workView = z.object({
  id: z.string(),
  caseId: z.string(),
  queue: z.string(),
  channel: z.enum(CHANNELS),
  /** Capacity units the item takes from its owner's budget. */
  weight: z.number().int(),
  language: z.string().nullable(),
  topic: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  enqueuedAt: z.string(),
  declinedBy: z.array(z.string()),
  status: z.enum(WORK_STATUSES),
  owner: z.string().nullable(),
  offerId: z.string().nullable(),
  offeredAt: z.string().nullable(),
  offerExpiresAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  releaseReason: z.string().nullable(),
});

const candidateView = z.object({
  agentId: z.string(),
  skills: z.array(z.object({ skill: z.string(), level: z.number().int() })),
  load: z.number(),
  capacity: z.number(),
  remaining: z.number(),
  idleSeconds: z.number(),
  eligible: z.boolean(),
  excludedBecause: z.array(z.string()),
  declinedBefore: z.boolean(),
});

const decisionView = z.object({
  itemId: z.string(),
  caseId: z.string(),
  at: z.string(),
  step: z.object({
    index: z.number().int(),
    afterSeconds: z.number(),
    requirements: z.array(z.object({ skill: z.string(), minLevel: z.number().int() })),
  }),
  waitedSeconds: z.number(),
  candidates: z.array(candidateView),
  winner: z.string().nullable(),
  reason: z.string(),
  omittedCandidates: z.number().int().optional(),
});

const queueView = z.object({
  queue: z.string(),
  label: z.string(),
  waiting: z.number().int(),
  waitingByPriority: z.record(z.string(), z.number().int()),
  oldestWaitSeconds: z.number().nullable(),
  agentsAvailable: z.number().int(),
  agentsWithRoom: z.number().int(),
  agentsServing: z.number().int(),
});

const segmentView = z.object({
  from: z.string(),
  to: z.string().nullable(),
  running: z.boolean(),
  status: z.enum(STATUSES),
  calendar: z.string(),
  calendarVersion: z.number().int(),
  businessMinutes: z.number(),
});

const clockView = z.object({
  milestone: z.enum(MILESTONES),
  cycle: z.number().int(),
  state: z.enum(['running', 'paused', 'met', 'warning', 'breached', 'stopped']),
  policy: z.string(),
  policyVersion: z.number().int(),
  targetMinutes: z.number(),
  warningPercent: z.number(),
  startedAt: z.string(),
  warningAt: z.string().nullable(),
  /** Wall-clock due time: projected while running, null while paused before it was reached. */
  dueAt: z.string().nullable(),
  elapsedMinutes: z.number(),
  remainingMinutes: z.number(),
  warnedAt: z.string().nullable(),
  breachedAt: z.string().nullable(),
  escalationLevel: z.number().int(),
  metAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  stopReason: z.string().nullable(),
  segments: z.array(segmentView),
});

const caseMetricsView = z.object({
  createdAt: z.string(),
  firstAssignedAt: z.string().nullable(),
  firstAcceptedAt: z.string().nullable(),
  secondsToAccept: z.number().nullable(),
  firstResponseAt: z.string().nullable(),
  secondsToFirstResponse: z.number().nullable(),
  lastResponseAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  secondsToResolution: z.number().nullable(),
  reopenCount: z.number().int(),
  secondsWithTeam: z.number(),
  secondsWithCustomer: z.number(),
});

const caseSlaView = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  policy: z.object({ name: z.string(), version: z.number().int() }).nullable(),
  calendar: z.string(),
  slaState: z.enum(['warning', 'breached']).nullable(),
  atRisk: z.object({ state: z.enum(['warning', 'breached']), milestone: z.enum(MILESTONES), dueAt: z.string() }).nullable(),
  tracking: z.boolean(),
  clocks: z.array(clockView),
  history: z.array(clockView),
  metrics: caseMetricsView,
  timeScale: z.number(),
});

const atRiskView = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  subject: z.string(),
  queue: z.string(),
  priority: z.enum(PRIORITIES),
  status: z.enum(STATUSES),
  assigneeId: z.string().nullable(),
  state: z.enum(['warning', 'breached']),
  milestone: z.enum(MILESTONES),
  dueAt: z.string(),
  minutesToDue: z.number(),
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

const versionedView = <T extends z.ZodType>(value: T) =>
  z.object({
    name: z.string(),
    version: z.number().int(),
    builtIn: z.boolean(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
    value,
  });

const slaPolicyValue = z.object({
  name: z.string(),
  description: z.string(),
  rank: z.number().int(),
  enabled: z.boolean(),
  match: z.record(z.string(), z.array(z.string())),
  targets: z.object({
    firstResponseMinutes: z.number().nullable(),
    nextResponseMinutes: z.number().nullable(),
    resolutionMinutes: z.number().nullable(),
  }),
  warningPercent: z.number(),
  pauseOnHold: z.boolean(),
  calendar: z.string().nullable(),
  secondLevelAfterMinutes: z.number().nullable(),
});

const slaCalendarValue = z.object({
  name: z.string(),
  description: z.string(),
  timeZone: z.string(),
  weekly: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
});

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const views = {
  health: z.object({ status: z.literal('ok'), service: z.literal('switchboard') }),
  case: caseView,
  caseDetail: caseView.extend({ messages: z.array(messageView) }),
  message: messageView,
  casePage: page(caseView),
  note: noteView,
  timelinePage: page(timelineEntryView),
  customer: customerView,
  customerWithCases: z.object({ customer: customerView, cases: z.array(caseView), nextCursor: z.string().nullable() }),
  agentList: z.object({ items: z.array(agentView) }),
  agent: agentView,
  agentWork: z.object({ offers: z.array(workView), accepted: z.array(workView) }),
  acceptedWork: z.object({ work: workView, case: caseView }),
  claimedWork: z.object({ work: workView.nullable(), case: caseView.nullable(), reason: z.string().nullable() }),
  work: workView,
  queueList: z.object({ items: z.array(queueView) }),
  routingRecord: workView.extend({ decision: decisionView.nullable() }),
  caseSla: caseSlaView,
  atRiskList: z.object({ items: z.array(atRiskView) }),
  slaPolicy: versionedView(slaPolicyValue),
  slaPolicyList: z.object({ items: z.array(versionedView(slaPolicyValue)) }),
  slaCalendar: versionedView(slaCalendarValue),
  slaCalendarList: z.object({ items: z.array(versionedView(slaCalendarValue)) }),
  callbackPage: page(callbackView),
  missedCallsReport: missedCallsReportView,
  error: z.object({
    error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  }),
};

/** The Lambda function that serves a route: each feature's API entry, and the API's own two. */
export type ApiFunctionName = 'health' | 'cases' | 'customers' | 'agents' | 'email' | 'routing' | 'sla' | 'callbacks' | 'openapi';

/** The entry file of each API function, relative to the repository root. */
export const API_FUNCTION_ENTRIES: Readonly<Record<ApiFunctionName, string>> = {
  health: 'functions/api/health.ts',
  openapi: 'functions/api/openapi.ts',
  cases: 'functions/cases/api/handler.ts',
  customers: 'functions/customers/api/handler.ts',
  agents: 'functions/agents/api/handler.ts',
  email: 'functions/email/api/handler.ts',
  routing: 'functions/routing/api/handler.ts',
  sla: 'functions/sla/api/handler.ts',
  callbacks: 'functions/telephony/api/handler.ts',
};

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** API Gateway resource path, e.g. `/cases/{id}`. */
  path: string;
  function: ApiFunctionName;
  /** `public` needs no token; otherwise the groups, any one of which may call the route. */
  access: 'public' | readonly Role[];
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route reads (documented, and required by API Gateway when `required`). */
  headers?: readonly { name: string; required: boolean; description: string }[];
  success: { status: number; view: z.ZodType; description: string };
  /** Error statuses the route itself can answer, beyond the ones every route shares. */
  errors: readonly number[];
}

const STAFF: readonly Role[] = ['agents', 'supervisors', 'admins'];
const SUPERVISION: readonly Role[] = ['supervisors', 'admins'];

export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/health',
    function: 'health',
    access: 'public',
    summary: 'Liveness check',
    success: { status: 200, view: views.health, description: 'The API is up' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    access: 'public',
    summary: 'This OpenAPI document',
    success: { status: 200, view: z.record(z.string(), z.unknown()), description: 'OpenAPI 3 document' },
    errors: [],
  },
  {
    method: 'POST',
    path: '/cases',
    function: 'cases',
    access: STAFF,
    summary: 'Open a case; the customer is found by email or phone, or created',
    body: schemas.openCaseBody,
    success: { status: 201, view: views.case, description: 'The new case' },
    errors: [400, 413, 415],
  },
  {
    method: 'GET',
    path: '/cases',
    function: 'cases',
    access: STAFF,
    summary: 'List cases, newest first, by status, queue, assignee, customer or priority',
    query: schemas.listCasesQuery,
    success: { status: 200, view: views.casePage, description: 'A page of cases' },
    errors: [400],
  },
  {
    method: 'GET',
    path: '/cases/{id}',
    function: 'cases',
    access: STAFF,
    summary: 'Read a case by id or by number (CS-000042), with its messages oldest first',
    success: { status: 200, view: views.caseDetail, description: 'The case and its messages; its version is also in the ETag header' },
    errors: [404],
  },
  {
    method: 'PATCH',
    path: '/cases/{id}',
    function: 'cases',
    access: STAFF,
    summary: 'Change a case (by id or number) the caller last saw at a version (If-Match or body.version)',
    body: schemas.updateCaseBody,
    headers: [{ name: 'If-Match', required: false, description: 'The case version the change is based on' }],
    success: { status: 200, view: views.case, description: 'The changed case' },
    errors: [400, 404, 409, 413, 415, 422],
  },
  {
    method: 'POST',
    path: '/cases/{id}/notes',
    function: 'cases',
    access: STAFF,
    summary: 'Add an internal note to a case (by id or number)',
    body: schemas.addNoteBody,
    success: { status: 201, view: views.note, description: 'The note' },
    errors: [400, 404, 413, 415],
  },
  {
    method: 'POST',
    path: '/cases/{id}/replies',
    function: 'email',
    access: STAFF,
    summary: 'Answer the customer by email (queued for sending); stamps the first response and opens a new case',
    body: schemas.replyBody,
    success: { status: 201, view: views.message, description: 'The queued reply' },
    errors: [400, 404, 409, 413, 415, 422],
  },
  {
    method: 'POST',
    path: '/cases/{id}/merge',
    function: 'cases',
    access: ['supervisors', 'admins'],
    summary: 'Merge this case (by id or number) into another: messages, notes and timeline move; this one closes with a pointer',
    body: schemas.mergeBody,
    success: { status: 200, view: views.case, description: 'The case merged into' },
    errors: [400, 404, 409, 413, 415, 422],
  },
  {
    method: 'GET',
    path: '/cases/{id}/timeline',
    function: 'cases',
    access: STAFF,
    summary: 'The audit trail of a case (by id or number), oldest first',
    query: schemas.pageQuery,
    success: { status: 200, view: views.timelinePage, description: 'A page of timeline entries' },
    errors: [400, 404],
  },
  {
    method: 'GET',
    path: '/customers',
    function: 'customers',
    access: STAFF,
    summary: 'Find the customer who owns an email address or phone number',
    query: schemas.findCustomerQuery,
    success: { status: 200, view: views.customer, description: 'The customer' },
    errors: [400, 404],
  },
  {
    method: 'GET',
    path: '/customers/{id}',
    // The profile with its cases: a read of case items, so the cases feature serves it.
    function: 'cases',
    access: STAFF,
    summary: 'A customer with their identities and cases, newest first',
    query: schemas.pageQuery,
    success: { status: 200, view: views.customerWithCases, description: 'The customer and a page of their cases' },
    errors: [400, 404],
  },
  {
    method: 'GET',
    path: '/agents',
    function: 'agents',
    access: STAFF,
    summary: 'The agents and supervisors with their skills, presence and live load',
    success: { status: 200, view: views.agentList, description: 'All agents' },
    errors: [],
  },
  {
    method: 'PUT',
    path: '/agents/{id}',
    function: 'agents',
    access: ['admins'],
    summary: 'Create or replace a member of staff’s profile: skills with levels, queues, capacity',
    body: schemas.agentBody,
    success: { status: 200, view: views.agent, description: 'The profile' },
    errors: [400, 413, 415],
  },
  {
    method: 'PUT',
    path: '/agents/{id}/presence',
    function: 'agents',
    access: STAFF,
    summary: 'Set presence (offline, available, away, busy): one’s own, or anyone’s for supervisors and admins',
    body: schemas.presenceBody,
    success: { status: 200, view: views.agent, description: 'The agent' },
    errors: [400, 404, 413, 415],
  },
  {
    method: 'GET',
    path: '/agents/{id}/work',
    function: 'routing',
    access: STAFF,
    summary:
      'The work an agent holds: open offers (with their expiry) and accepted items; one’s own, or anyone’s for supervisors and admins',
    success: { status: 200, view: views.agentWork, description: 'Offers and accepted work' },
    errors: [403],
  },
  {
    method: 'POST',
    path: '/work/{workId}/accept',
    function: 'routing',
    access: STAFF,
    summary: 'Accept work offered to you: the case becomes yours (status open)',
    success: { status: 200, view: views.acceptedWork, description: 'The accepted work and its case' },
    errors: [403, 404, 422, 503],
  },
  {
    method: 'POST',
    path: '/work/{workId}/decline',
    function: 'routing',
    access: STAFF,
    summary: 'Decline work offered to you: it goes to another agent, never back to you first',
    success: { status: 200, view: views.work, description: 'The work item, back in its backlog' },
    errors: [403, 404, 422],
  },
  {
    method: 'POST',
    path: '/queues/{queue}/next',
    function: 'routing',
    access: STAFF,
    summary: 'Pull the best waiting item of a queue you serve and eligible for: it is reserved and accepted at once',
    success: { status: 200, view: views.claimedWork, description: 'The claimed work and its case, or work null with the reason' },
    errors: [400, 403, 404, 422, 503],
  },
  {
    method: 'GET',
    path: '/queues',
    function: 'routing',
    access: STAFF,
    summary: 'Per queue: waiting items, the oldest one’s wait, and the agents available',
    success: { status: 200, view: views.queueList, description: 'Every queue' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/cases/{id}/routing',
    function: 'routing',
    access: STAFF,
    summary: 'The routing decision record of a case: its work item, the candidates weighed, the step in force and why the winner won',
    success: { status: 200, view: views.routingRecord, description: 'The work item with its latest decision' },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/cases/{id}/sla',
    function: 'sla',
    access: STAFF,
    summary:
      'The SLA of a case (by id or number): per milestone its policy, target, due time, state, elapsed and remaining business minutes and the segments behind them; and the case metrics',
    success: { status: 200, view: views.caseSla, description: 'The case’s clocks and metrics' },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/sla/at-risk',
    function: 'sla',
    access: SUPERVISION,
    summary: 'Cases whose SLA is in warning or breached, most urgent first, of one queue or all',
    query: schemas.atRiskQuery,
    success: { status: 200, view: views.atRiskList, description: 'Cases at risk' },
    errors: [400],
  },
  {
    method: 'GET',
    path: '/sla/policies',
    function: 'sla',
    access: STAFF,
    summary: 'Every SLA policy in force (built-in defaults and stored edits), in rank order',
    success: { status: 200, view: views.slaPolicyList, description: 'The policies' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/sla/policies/{name}',
    function: 'sla',
    access: STAFF,
    summary: 'One SLA policy',
    success: { status: 200, view: views.slaPolicy, description: 'The policy and its version' },
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/sla/policies/{name}',
    function: 'sla',
    access: ['admins'],
    summary: 'Create or edit an SLA policy (a new version); body.version, when given, must be the current version',
    body: schemas.slaPolicyBody,
    success: { status: 200, view: views.slaPolicy, description: 'The stored version' },
    errors: [400, 409, 413, 415],
  },
  {
    method: 'GET',
    path: '/sla/calendars',
    function: 'sla',
    access: STAFF,
    summary: 'Every business-hours calendar (built-in defaults and stored edits)',
    success: { status: 200, view: views.slaCalendarList, description: 'The calendars' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/sla/calendars/{name}',
    function: 'sla',
    access: STAFF,
    summary: 'One business-hours calendar',
    success: { status: 200, view: views.slaCalendar, description: 'The calendar and its version' },
    errors: [404],
  },
  {
    method: 'PUT',
    path: '/sla/calendars/{name}',
    function: 'sla',
    access: ['admins'],
    summary: 'Create or edit a business-hours calendar (a new version); body.version, when given, must be the current version',
    body: schemas.slaCalendarBody,
    success: { status: 200, view: views.slaCalendar, description: 'The stored version' },
    errors: [400, 409, 413, 415],
  },
  {
    method: 'GET',
    path: '/callbacks',
    function: 'callbacks',
    access: SUPERVISION,
    summary: 'Missed-call callbacks, newest first, of one status or all, with every attempt and its outcome',
    query: schemas.callbacksQuery,
    success: { status: 200, view: views.callbackPage, description: 'A page of callbacks' },
    errors: [400],
  },
  {
    method: 'GET',
    path: '/reports/missed-calls',
    function: 'callbacks',
    access: SUPERVISION,
    summary: `Missed calls per hour (UTC) and what became of them: called back (dials), reached, failed; and the totals, over at most ${MAX_REPORT_DAYS} days`,
    query: schemas.missedCallsReportQuery,
    success: { status: 200, view: views.missedCallsReport, description: 'Every hour of the range and the totals' },
    errors: [400],
  },
];

/** The key a handler dispatches on, e.g. `GET /cases/{id}`. */
export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

/** Largest request body the API accepts, in bytes (256 KiB). */
export const MAX_BODY_BYTES = 256 * 1024;
