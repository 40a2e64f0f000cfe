import { atRiskOf, type CaseSla, elapsedMs, isOpen, type MilestoneClock, reschedule, thresholdsOf } from './sla-clock.js';
import type { SlaConfig, SlaSettings } from './sla-config.js';
import type { Milestone } from './sla-policy.js';

const RETRY_EARLY_WAKE_MS = 60_000;

/** Which timer execution asks: the clock's cycle and generation it was started for. */
export interface TimerTurn {
  caseId: string;
  milestone: Milestone;
  cycle: number;
  generation: number;
}

/** What crossing a threshold asks for; each happens at most once per clock. */
export type SlaAction =
  | { kind: 'warning'; milestone: Milestone; at: string; dueAt: string | null }
  | { kind: 'breach'; milestone: Milestone; level: 1 | 2; at: string };

export type ClockEvaluation =
  | { kind: 'stale'; reason: string }
  | { kind: 'wait'; wakeAt: string; record: CaseSla | null; actions: SlaAction[] }
  | { kind: 'done'; record: CaseSla | null; actions: SlaAction[] };

/**
 * Evaluates one clock at `nowMs` for the timer that woke: records the thresholds it crossed (warning,
 * breach, second level) and says when to wake next. Pure and idempotent: a threshold already
 * recorded is never acted on again, so a retried or duplicated evaluation escalates nothing twice;
 * a timer of an older cycle or generation is told it is stale and ends.
 */
export function evaluateClock(
  record: CaseSla | null,
  turn: TimerTurn,
  nowMs: number,
  config: SlaConfig,
  settings: SlaSettings,
): ClockEvaluation {
  const clock = record?.clocks.find((candidate) => candidate.milestone === turn.milestone);
  if (!record || !clock) return { kind: 'stale', reason: 'the case has no such clock' };
  if (clock.cycle !== turn.cycle || clock.generation !== turn.generation) {
    return { kind: 'stale', reason: `the clock moved on (cycle ${clock.cycle}, generation ${clock.generation})` };
  }
  if (!isOpen(clock)) return { kind: 'stale', reason: clock.metAt ? 'the clock was met' : 'the clock was stopped' };

  const elapsed = elapsedMs(clock, nowMs, config.lookup);
  const thresholds = thresholdsOf(clock, settings);
  const now = new Date(nowMs).toISOString();
  const actions: SlaAction[] = [];
  let next: MilestoneClock = clock;
  if (elapsed >= thresholds.target && next.breachedAt === null) {
    const at = next.dueAt ?? now;
    next = { ...next, breachedAt: at, warnedAt: next.warnedAt ?? next.warningAt ?? at, escalationLevel: 1 };
    actions.push({ kind: 'breach', milestone: clock.milestone, level: 1, at });
  } else if (elapsed >= thresholds.warning && next.warnedAt === null && next.breachedAt === null) {
    const at = next.warningAt ?? now;
    next = { ...next, warnedAt: at };
    actions.push({ kind: 'warning', milestone: clock.milestone, at, dueAt: next.dueAt });
  }
  if (thresholds.secondLevel !== null && elapsed >= thresholds.secondLevel && next.escalationLevel === 1) {
    const at = next.secondLevelAt ?? now;
    next = { ...next, escalationLevel: 2 };
    actions.push({ kind: 'breach', milestone: clock.milestone, level: 2, at });
  }
  next = reschedule(next, config.lookup, settings);

  const clocks = record.clocks.map((candidate) => (candidate.milestone === clock.milestone ? next : candidate));
  const updated: CaseSla | null =
    actions.length > 0 ? { ...record, version: record.version + 1, clocks, atRisk: atRiskOf(clocks), updatedAt: now } : null;
  if (next.wakeAt === null) return { kind: 'done', record: updated, actions };
  // A threshold still ahead: wait again within the same generation. A projection already past with
  // nothing crossed (a calendar edited under the clock) retries in a minute instead of spinning.
  const wakeAt = next.wakeAt > now ? next.wakeAt : new Date(nowMs + RETRY_EARLY_WAKE_MS).toISOString();
  return { kind: 'wait', wakeAt, record: updated, actions };
}
