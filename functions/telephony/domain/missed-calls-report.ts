import type { FieldIssue } from '#platform/domain/errors';
import { CALL_STATS, type CallStat, type HourStats } from './callback-ports.js';

/** The longest range one report covers, in days. */
export const MAX_REPORT_DAYS = 31;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The hour bucket of an instant, UTC: `2026-11-23T09` (the sort key of the hour's counters). */
export function hourOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 13);
}

/** A report's span in whole UTC hours: [from, to). */
export interface ReportRange {
  fromMs: number;
  toMs: number;
}

/**
 * The hours a report covers. A date (`2026-11-23`) means that whole day in UTC, as `from` its start
 * and as `to` its end, so `from=to=2026-11-23` is one day. An instant is rounded outwards to whole
 * hours. The range must run forwards and span at most `MAX_REPORT_DAYS` days.
 */
export function resolveReportRange(from: string, to: string): { range: ReportRange; issues: [] } | { range: null; issues: FieldIssue[] } {
  const fromMs = Date.parse(DATE_ONLY.test(from) ? `${from}T00:00:00Z` : from);
  const toMs = DATE_ONLY.test(to) ? Date.parse(`${to}T00:00:00Z`) + DAY_MS : Date.parse(to);
  const issues: FieldIssue[] = [];
  if (!Number.isFinite(fromMs)) issues.push({ path: 'from', message: 'a date (YYYY-MM-DD) or an ISO instant' });
  if (!Number.isFinite(toMs)) issues.push({ path: 'to', message: 'a date (YYYY-MM-DD) or an ISO instant' });
  if (issues.length > 0) return { range: null, issues };
  const range = { fromMs: Math.floor(fromMs / HOUR_MS) * HOUR_MS, toMs: Math.ceil(toMs / HOUR_MS) * HOUR_MS };
  if (range.toMs <= range.fromMs) return { range: null, issues: [{ path: 'to', message: 'must come after from' }] };
  if (range.toMs - range.fromMs > MAX_REPORT_DAYS * DAY_MS) {
    return { range: null, issues: [{ path: 'to', message: `the range may span at most ${MAX_REPORT_DAYS} days` }] };
  }
  return { range, issues: [] };
}

export type CallCounts = Record<CallStat, number>;

export interface MissedCallsReport {
  from: string;
  to: string;
  /** Every hour of the range, oldest first, with zeros where nothing happened. */
  hours: ({ hour: string } & CallCounts)[];
  totals: CallCounts;
}

const zero = (): CallCounts => Object.fromEntries(CALL_STATS.map((stat) => [stat, 0])) as CallCounts;

/** The report of a range from the stored hour counters. */
export function buildMissedCallsReport(range: ReportRange, stats: readonly HourStats[]): MissedCallsReport {
  const byHour = new Map(stats.map((entry) => [entry.hour, entry.counts]));
  const totals = zero();
  const hours: MissedCallsReport['hours'] = [];
  for (let at = range.fromMs; at < range.toMs; at += HOUR_MS) {
    const iso = new Date(at).toISOString();
    const counts = { ...zero(), ...byHour.get(hourOf(iso)) };
    for (const stat of CALL_STATS) totals[stat] += counts[stat];
    hours.push({ hour: iso, ...counts });
  }
  return { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), hours, totals };
}
