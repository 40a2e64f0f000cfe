import { buildMissedCallsReport, hourOf, type MissedCallsReport, resolveReportRange } from '../domain/missed-calls-report.js';
import { ValidationError } from '#platform/domain/errors';
import type { CallbackQueryDeps } from './deps.js';

/**
 * Missed calls and what became of them, per hour (UTC) of a range of at most 31 days: missed calls,
 * callbacks dialled (every dial), reached, failed; and the totals.
 *
 * 1. Resolve the range to whole hours (a date means its whole day).
 * 2. Read the hour counters of the range (one query of the statistics partition).
 * 3. Every hour of the range, with zeros where nothing happened, and the totals.
 *
 * @throws ValidationError for a range that runs backwards, spans more than 31 days or does not parse.
 */
export async function getMissedCallsReport(deps: CallbackQueryDeps, input: { from: string; to: string }): Promise<MissedCallsReport> {
  const resolved = resolveReportRange(input.from, input.to);
  if (!resolved.range) throw new ValidationError('the report range is not valid', resolved.issues);
  const { fromMs, toMs } = resolved.range;
  const stats = await deps.callbacks.readStats(hourOf(new Date(fromMs).toISOString()), hourOf(new Date(toMs - 1).toISOString()));
  return buildMissedCallsReport(resolved.range, stats);
}
