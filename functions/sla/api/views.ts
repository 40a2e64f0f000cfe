import * as z from 'zod';
import { PRIORITIES, STATUSES } from '#cases';
import { MILESTONES } from '../domain/sla-policy.js';

/** What the SLA API shows: a case's clocks and metrics, the cases at risk, policies and calendars. */

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

export const caseSlaView = z.object({
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

export const slaPolicyView = versionedView(slaPolicyValue);
export const slaCalendarView = versionedView(slaCalendarValue);
export const atRiskListView = z.object({ items: z.array(atRiskView) });
export const slaPolicyListView = z.object({ items: z.array(slaPolicyView) });
export const slaCalendarListView = z.object({ items: z.array(slaCalendarView) });
