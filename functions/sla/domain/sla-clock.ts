import type { CaseStatus, Priority, SlaFlag } from '#cases';
import type { Milestone } from './sla-policy.js';
import { type BusinessCalendar, addBusinessMillis, businessMillisBetween } from './business-calendar.js';

/**
 * One stretch of a milestone's clock: running (counting, within the calendar's opening hours) or
 * paused (waiting on the customer; on hold when the policy says so). Elapsed business time is
 * derived from the segments, so any past figure can be recomputed and explained.
 */
export interface ClockSegment {
  from: string;
  /** null while the segment is the one in progress. */
  to: string | null;
  running: boolean;
  /** The case status that set the segment. */
  status: CaseStatus;
  calendar: string;
  calendarVersion: number;
  /**
   * Business milliseconds of a finished running segment, fixed when it finished, so a later edit
   * of the calendar does not rewrite history; null while in progress, 0 for a paused one.
   */
  businessMs: number | null;
}

/** One milestone's clock for one cycle (the next response has a cycle per customer message answered). */
export interface MilestoneClock {
  milestone: Milestone;
  cycle: number;
  /**
   * +1 whenever the deadline is recomputed (paused, resumed, target or calendar changed, met):
   * names the timer execution, so a stale one can tell it is stale.
   */
  generation: number;
  policy: string;
  policyVersion: number;
  /** The policy's target in business minutes (before any demo time scale). */
  targetMinutes: number;
  warningPercent: number;
  secondLevelAfterMinutes: number | null;
  startedAt: string;
  segments: ClockSegment[];
  /** When the warning threshold is (or was) reached; null while paused before reaching it. */
  warningAt: string | null;
  /** When the target is (or was) reached; null while paused before reaching it. */
  dueAt: string | null;
  /** When the second escalation level is (or was) reached, if the policy has one. */
  secondLevelAt: string | null;
  /** When the timer must next evaluate the clock; null when there is nothing to wait for. */
  wakeAt: string | null;
  metAt: string | null;
  /** The clock ended without being met (e.g. resolved without a reply, target removed). */
  stoppedAt: string | null;
  stopReason: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
  /** 0 none, 1 breached and escalated (or breached after being met: 1 without actions), 2 second level. */
  escalationLevel: number;
}

/** What the SLA record keeps of its case, for lists of cases at risk without reading every case. */
export interface SlaCaseSnapshot {
  number: string;
  subject: string;
  queue: string;
  priority: Priority;
  status: CaseStatus;
  assigneeId: string | null;
}

/** The SLA record of a case: its clocks, and the state that lists it among the cases at risk. */
export interface CaseSla {
  caseId: string;
  /** The last case version applied; older stream records change nothing. */
  caseVersion: number;
  /** Optimistic-locking counter of the record itself. */
  version: number;
  case: SlaCaseSnapshot;
  /** The clocks in progress or finished in their last cycle, at most one per milestone. */
  clocks: MilestoneClock[];
  /** Earlier cycles of the next-response clock, oldest first, at most HISTORY_LIMIT. */
  history: MilestoneClock[];
  /** Set while a clock still running or paused has warned or breached. */
  atRisk: { state: SlaFlag; milestone: Milestone; dueAt: string } | null;
  updatedAt: string;
}

export const HISTORY_LIMIT = 20;

/** The observable state of a clock, as the API shows it. */
export type ClockState = 'running' | 'paused' | 'met' | 'warning' | 'breached' | 'stopped';

/** Looks up a calendar by name; unknown names fall back to the caller's choice (the 24/7 calendar). */
export type CalendarLookup = (name: string) => { calendar: BusinessCalendar; version: number };

/** Demo and test speed-up: every target and delay is divided by it (60 = a business minute lasts a second). */
export interface ClockScale {
  timeScale: number;
}

const MINUTE_MS = 60_000;

export function isOpen(clock: MilestoneClock): boolean {
  return clock.metAt === null && clock.stoppedAt === null;
}

export function stateOf(clock: MilestoneClock): ClockState {
  if (clock.breachedAt !== null) return 'breached';
  if (clock.metAt !== null) return 'met';
  if (clock.stoppedAt !== null) return 'stopped';
  if (clock.warnedAt !== null) return 'warning';
  return openSegment(clock)?.running ? 'running' : 'paused';
}

export function openSegment(clock: MilestoneClock): ClockSegment | null {
  const last = clock.segments.at(-1);
  return last && last.to === null ? last : null;
}

/** The thresholds of a clock in business milliseconds of elapsed time, after the time scale. */
export function thresholdsOf(clock: MilestoneClock, scale: ClockScale) {
  const target = Math.ceil((clock.targetMinutes * MINUTE_MS) / scale.timeScale);
  const warning = Math.ceil((target * clock.warningPercent) / 100);
  const secondLevel =
    clock.secondLevelAfterMinutes === null ? null : target + Math.ceil((clock.secondLevelAfterMinutes * MINUTE_MS) / scale.timeScale);
  return { warning, target, secondLevel };
}

/** Business milliseconds of the finished segments. */
function finishedMs(clock: MilestoneClock): number {
  return clock.segments.reduce((sum, segment) => sum + (segment.to === null ? 0 : (segment.businessMs ?? 0)), 0);
}

/** Elapsed business milliseconds at an instant (not before the segment in progress began). */
export function elapsedMs(clock: MilestoneClock, atMs: number, calendars: CalendarLookup): number {
  const open = openSegment(clock);
  const running = open?.running ? businessMillisBetween(calendars(open.calendar).calendar, Date.parse(open.from), atMs) : 0;
  return finishedMs(clock) + running;
}

/**
 * The instant elapsed time reaches `ms`: the kept instant when finished segments already reached
 * it, a projection along the running segment, or null while paused before reaching it.
 */
function instantOf(clock: MilestoneClock, ms: number, kept: string | null, calendars: CalendarLookup): string | null {
  const finished = finishedMs(clock);
  if (finished >= ms) return kept ?? crossingInstant(clock, ms, calendars);
  const open = openSegment(clock);
  if (!open?.running) return null;
  return new Date(addBusinessMillis(calendars(open.calendar).calendar, Date.parse(open.from), ms - finished)).toISOString();
}

/** The instant within the finished segments at which elapsed time reached `ms`. */
function crossingInstant(clock: MilestoneClock, ms: number, calendars: CalendarLookup): string {
  let before = 0;
  for (const segment of clock.segments) {
    if (segment.to === null) break;
    const spent = segment.businessMs ?? 0;
    if (segment.running && before + spent >= ms) {
      const at = addBusinessMillis(calendars(segment.calendar).calendar, Date.parse(segment.from), ms - before);
      return new Date(Math.min(at, Date.parse(segment.to))).toISOString();
    }
    before += spent;
  }
  return clock.startedAt;
}

/**
 * Recomputes the thresholds' instants and the next wake-up of a clock from its segments. A
 * threshold already acted on (warned, breached, second level) does not wake the timer again; one
 * reached but not yet acted on wakes it at once (its instant is in the past).
 */
export function reschedule(clock: MilestoneClock, calendars: CalendarLookup, scale: ClockScale): MilestoneClock {
  const thresholds = thresholdsOf(clock, scale);
  const warningAt = instantOf(clock, thresholds.warning, clock.warningAt, calendars);
  const dueAt = instantOf(clock, thresholds.target, clock.dueAt, calendars);
  const secondLevelAt = thresholds.secondLevel === null ? null : instantOf(clock, thresholds.secondLevel, clock.secondLevelAt, calendars);
  const pending = isOpen(clock)
    ? [
        clock.warnedAt === null && clock.breachedAt === null ? warningAt : null,
        clock.breachedAt === null ? dueAt : null,
        clock.escalationLevel === 1 ? secondLevelAt : null,
      ].filter((at): at is string => at !== null)
    : [];
  const wakeAt = pending.length === 0 ? null : pending.reduce((earliest, at) => (at < earliest ? at : earliest));
  return { ...clock, warningAt, dueAt, secondLevelAt, wakeAt };
}

/** Closes the segment in progress at `at`, fixing its business time. */
export function closeSegment(clock: MilestoneClock, at: string, calendars: CalendarLookup): MilestoneClock {
  const open = openSegment(clock);
  if (!open) return clock;
  const to = at < open.from ? open.from : at;
  const businessMs = open.running ? businessMillisBetween(calendars(open.calendar).calendar, Date.parse(open.from), Date.parse(to)) : 0;
  return { ...clock, segments: [...clock.segments.slice(0, -1), { ...open, to, businessMs }] };
}

/** The deterministic name of a clock's timer execution (Step Functions: ≤ 80 of `[A-Za-z0-9_-]`). */
export function executionNameOf(caseId: string, clock: Pick<MilestoneClock, 'milestone' | 'cycle' | 'generation'>): string {
  const short = { first_response: 'fr', next_response: 'nr', resolution: 'res' }[clock.milestone];
  return `${caseId}-${short}-${clock.cycle}-${clock.generation}`;
}

/** Whether the record lists the case among those at risk, and how urgently. */
export function atRiskOf(clocks: readonly MilestoneClock[]): CaseSla['atRisk'] {
  const risky = clocks.filter((clock) => isOpen(clock) && (clock.warnedAt !== null || clock.breachedAt !== null));
  if (risky.length === 0) return null;
  const breached = risky.filter((clock) => clock.breachedAt !== null);
  const pool = breached.length > 0 ? breached : risky;
  const first = pool.reduce((a, b) => ((a.dueAt ?? a.startedAt) <= (b.dueAt ?? b.startedAt) ? a : b));
  return { state: breached.length > 0 ? 'breached' : 'warning', milestone: first.milestone, dueAt: first.dueAt ?? first.startedAt };
}
