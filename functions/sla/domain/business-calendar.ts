import { DateTime, IANAZone, type Zone } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock times 'HH:MM' (00:00–23:59); `end` may be '24:00' (end of day). start < end. */
export interface OpeningPeriod {
  start: string;
  end: string;
}

export interface Holiday {
  /** Local date YYYY-MM-DD. */
  date: string;
  name: string;
}

/** When an SLA clock runs: opening hours per weekday in one time zone, minus holidays. */
export interface BusinessCalendar {
  name: string;
  description: string;
  /** IANA zone, e.g. Europe/Warsaw. */
  timeZone: string;
  /** Opening periods per weekday in local time, several a day allowed; an empty list = closed that day. */
  weekly: Record<Weekday, OpeningPeriod[]>;
  /** Local dates on which the calendar is closed all day. */
  holidays: Holiday[];
}

export interface CalendarIssue {
  path: string;
  message: string;
}

/** A half-open span of instants [from, to), epoch milliseconds. */
interface Interval {
  from: number;
  to: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1_440;
/** Closed stretch (days) after which addBusinessMillis gives up: longer than any real closure, short enough to fail fast. */
const MAX_CLOSED_DAYS = 400;
/** 1970-01-01 was a Thursday: index 3 in WEEKDAYS. */
const EPOCH_WEEKDAY_INDEX = 3;

const TIME_PATTERN = /^(\d{2}):(\d{2})$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The 24/7 calendar, name '24x7', time zone 'UTC'. */
export const ALWAYS_OPEN_CALENDAR: BusinessCalendar = {
  name: '24x7',
  description: 'Always open: the clock never pauses.',
  timeZone: 'UTC',
  weekly: {
    mon: [{ start: '00:00', end: '24:00' }],
    tue: [{ start: '00:00', end: '24:00' }],
    wed: [{ start: '00:00', end: '24:00' }],
    thu: [{ start: '00:00', end: '24:00' }],
    fri: [{ start: '00:00', end: '24:00' }],
    sat: [{ start: '00:00', end: '24:00' }],
    sun: [{ start: '00:00', end: '24:00' }],
  },
  holidays: [],
};

/**
 * Problems of a calendar, empty when it is valid: unknown time zone, bad HH:MM, start >= end,
 * overlapping or unsorted periods within a day, bad or duplicate holiday dates, and a calendar with
 * no opening period at all. Paths look like `weekly.mon[1].end`, `holidays[2].date`, `timeZone`.
 */
export function calendarIssues(calendar: BusinessCalendar): CalendarIssue[] {
  const issues = definitionIssues(calendar, IANAZone.isValidZone(calendar.timeZone));
  const hasPeriod = WEEKDAYS.some((day) => (calendar.weekly?.[day]?.length ?? 0) > 0);
  if (!hasPeriod) issues.push({ path: 'weekly', message: 'the calendar has no opening period on any weekday' });
  return issues;
}

/** True when every weekday is open 00:00–24:00 and there are no holidays (fast path). */
export function isAlwaysOpen(calendar: BusinessCalendar): boolean {
  if (calendar.holidays.length > 0) return false;
  return WEEKDAYS.every((day) => {
    // Touching periods that chain from 00:00 to 24:00 cover the day as well as one period does.
    let reached = 0;
    for (const period of calendar.weekly[day] ?? []) {
      if (parseTime(period.start, false) !== reached) return false;
      const end = parseTime(period.end, true);
      if (end === undefined || end <= reached) return false;
      reached = end;
    }
    return reached === MINUTES_PER_DAY;
  });
}

/**
 * The open intervals [from, to) in epoch ms that intersect [fromMs, toMs), clipped to that range,
 * in order, merged when adjacent (Mon 00:00–24:00 and Tue 00:00–08:00 become one).
 * Throws a plain Error naming the calendar when the calendar is invalid (see {@link calendarIssues}).
 */
export function openIntervals(calendar: BusinessCalendar, fromMs: number, toMs: number): { from: number; to: number }[] {
  const compiled = compile(calendar);
  assertInstant(calendar, 'fromMs', fromMs);
  assertInstant(calendar, 'toMs', toMs);
  if (toMs <= fromMs) return [];
  if (isAlwaysOpen(calendar)) return [{ from: fromMs, to: toMs }];

  const result: Interval[] = [];
  for (const day of localDaysFrom(compiled, fromMs)) {
    if (day.start >= toMs) break;
    for (const interval of day.intervals) {
      appendInterval(result, Math.max(interval.from, fromMs), Math.min(interval.to, toMs));
    }
  }
  return result;
}

/**
 * Business (open) milliseconds in [fromMs, toMs); 0 when toMs <= fromMs. Works day by day in the
 * calendar's zone, so a year costs a few thousand zone conversions, never per-minute work.
 */
export function businessMillisBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  return openIntervals(calendar, fromMs, toMs).reduce((sum, { from, to }) => sum + (to - from), 0);
}

/**
 * The earliest instant t >= fromMs such that businessMillisBetween(calendar, fromMs, t) === millis;
 * millis = 0 returns fromMs. Throws a plain Error naming the calendar when it has no open time
 * within 400 days of the search position (a calendar whose only open days are all holidays would
 * otherwise loop forever), and when the calendar or the arguments are invalid.
 */
export function addBusinessMillis(calendar: BusinessCalendar, fromMs: number, millis: number): number {
  const compiled = compile(calendar);
  assertInstant(calendar, 'fromMs', fromMs);
  if (!Number.isFinite(millis) || millis < 0) {
    throw new Error(`Business calendar '${calendar.name}': millis must be a finite number >= 0, got ${millis}`);
  }
  if (millis === 0) return fromMs;
  if (isAlwaysOpen(calendar)) return fromMs + millis;

  let remaining = millis;
  let lastOpenMs = fromMs;
  for (const day of localDaysFrom(compiled, fromMs)) {
    if (day.start - lastOpenMs > MAX_CLOSED_DAYS * DAY_MS) {
      throw new Error(
        `Business calendar '${calendar.name}' has no open time within ${MAX_CLOSED_DAYS} days after ${new Date(lastOpenMs).toISOString()}`,
      );
    }
    for (const interval of day.intervals) {
      const start = Math.max(interval.from, fromMs);
      if (interval.to <= start) continue;
      if (interval.to - start >= remaining) return start + remaining;
      remaining -= interval.to - start;
      lastOpenMs = interval.to;
    }
  }
  // localDaysFrom never ends: the loop is left only through the return or the guard above.
  throw new Error(`Business calendar '${calendar.name}': the day iteration ended unexpectedly`);
}

/** A calendar parsed once per call: minutes since local midnight, holidays as local day numbers. */
interface CompiledCalendar {
  zone: Zone;
  /** Index 0 = Monday, as in WEEKDAYS. */
  weekly: { start: number; end: number }[][];
  holidays: Set<number>;
}

/** Issues of the definition itself; an empty week is valid arithmetic (no open time), so it is left out. */
function definitionIssues(calendar: BusinessCalendar, zoneIsValid: boolean): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  if (!zoneIsValid) {
    issues.push({ path: 'timeZone', message: `unknown IANA time zone '${calendar.timeZone}'` });
  }
  for (const day of WEEKDAYS) {
    const periods = calendar.weekly?.[day];
    if (!Array.isArray(periods)) {
      issues.push({ path: `weekly.${day}`, message: 'must be a list of opening periods (empty when closed)' });
      continue;
    }
    let previousEnd: number | undefined;
    periods.forEach((period, index) => {
      const path = `weekly.${day}[${index}]`;
      const start = parseTime(period.start, false);
      const end = parseTime(period.end, true);
      if (start === undefined) issues.push({ path: `${path}.start`, message: `'${period.start}' is not a time HH:MM from 00:00 to 23:59` });
      if (end === undefined) issues.push({ path: `${path}.end`, message: `'${period.end}' is not a time HH:MM from 00:00 to 24:00` });
      if (start === undefined || end === undefined) return;
      if (start >= end) {
        issues.push({ path: `${path}.end`, message: `end ${period.end} must be after start ${period.start}` });
        return;
      }
      if (previousEnd !== undefined && start < previousEnd) {
        issues.push({
          path: `${path}.start`,
          message: `starts at ${period.start}, before the previous period ends: periods must be sorted and must not overlap`,
        });
      }
      previousEnd = Math.max(previousEnd ?? 0, end);
    });
  }
  const seen = new Map<number, number>();
  (calendar.holidays ?? []).forEach((holiday, index) => {
    const dayNumber = parseDate(holiday.date);
    if (dayNumber === undefined) {
      issues.push({ path: `holidays[${index}].date`, message: `'${holiday.date}' is not a date YYYY-MM-DD` });
      return;
    }
    const first = seen.get(dayNumber);
    if (first !== undefined) {
      issues.push({ path: `holidays[${index}].date`, message: `${holiday.date} duplicates holidays[${first}]` });
      return;
    }
    seen.set(dayNumber, index);
  });
  return issues;
}

function compile(calendar: BusinessCalendar): CompiledCalendar {
  // IANAZone.create caches zones by name; isValidZone builds an Intl formatter (~50 µs) on every call.
  const zone = IANAZone.create(calendar.timeZone);
  const issues = definitionIssues(calendar, zone.isValid);
  if (issues.length > 0) {
    const details = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new Error(`Business calendar '${calendar.name}' is invalid: ${details}`);
  }
  return {
    zone,
    weekly: WEEKDAYS.map((day) =>
      calendar.weekly[day].map((period) => ({
        start: parseTime(period.start, false) as number,
        end: parseTime(period.end, true) as number,
      })),
    ),
    holidays: new Set(calendar.holidays.map((holiday) => parseDate(holiday.date) as number)),
  };
}

function assertInstant(calendar: BusinessCalendar, name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new Error(`Business calendar '${calendar.name}': ${name} must be a finite epoch millisecond value, got ${value}`);
  }
}

/** Minutes since local midnight of 'HH:MM'; '24:00' (1440) only when it may end a day. */
function parseTime(value: string, mayBeEndOfDay: boolean): number | undefined {
  const match = TIME_PATTERN.exec(value);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (mayBeEndOfDay && hours === 24 && minutes === 0) return MINUTES_PER_DAY;
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

/** Days since 1970-01-01 of a proleptic Gregorian date 'YYYY-MM-DD', or undefined if there is no such date. */
function parseDate(value: string): number | undefined {
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 02-30 over to March; a round trip that changes the fields means no such date.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime() / DAY_MS;
}

/** One local date of the calendar: the instant its 00:00 begins and its open intervals, in order. */
interface LocalDay {
  start: number;
  intervals: Interval[];
}

/**
 * The local days from the one containing fromMs onwards, without end. A day whose UTC offset is the
 * same at both midnights is taken to have no transition in between (no zone changes its offset twice
 * within a day), so its boundaries are plain arithmetic; only the change days, two a year in Europe,
 * go through luxon for each boundary. An offset lookup costs about 5 µs and a luxon wall-time
 * conversion about 30 µs, so a year's scan stays near 2 ms instead of 50 ms.
 */
function* localDaysFrom(calendar: CompiledCalendar, fromMs: number): Generator<LocalDay> {
  const { zone } = calendar;
  const local = DateTime.fromMillis(fromMs, { zone });
  let dayNumber = Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
  let start = localInstant(zone, dayNumber, 0);
  let startOffsetMinutes = zone.offset(start);
  for (;;) {
    // Exact local midnight (not moved by a gap at 00:00) and the same offset 24 h later: a plain day.
    const plainStart = start + startOffsetMinutes * MINUTE_MS === dayNumber * DAY_MS;
    const nextOffsetMinutes = plainStart ? zone.offset(start + DAY_MS) : undefined;
    if (plainStart && nextOffsetMinutes === startOffsetMinutes) {
      const intervals = dayPeriods(calendar, dayNumber).map(({ start: from, end: to }) => ({
        from: start + from * MINUTE_MS,
        to: start + to * MINUTE_MS,
      }));
      yield { start, intervals };
      start += DAY_MS;
    } else {
      const next = localInstant(zone, dayNumber + 1, 0);
      yield { start, intervals: changeDayIntervals(calendar, dayNumber, next) };
      start = next;
      startOffsetMinutes = zone.offset(start);
    }
    dayNumber += 1;
  }
}

/** Opening periods (minutes since local midnight) of a local date: none on a holiday. */
function dayPeriods(calendar: CompiledCalendar, dayNumber: number): { start: number; end: number }[] {
  if (calendar.holidays.has(dayNumber)) return [];
  return calendar.weekly[weekdayIndex(dayNumber)] ?? [];
}

/** Open intervals of a local date whose offset changes; `endOfDay` is the instant of the next date's 00:00 ('24:00'). */
function changeDayIntervals(calendar: CompiledCalendar, dayNumber: number, endOfDay: number): Interval[] {
  const intervals = dayPeriods(calendar, dayNumber).map(({ start, end }) => ({
    from: localInstant(calendar.zone, dayNumber, start),
    to: end === MINUTES_PER_DAY ? endOfDay : localInstant(calendar.zone, dayNumber, end),
  }));
  // Gap shifts can reorder periods (02:30 maps after 03:00 on a spring-forward night) and can push a
  // start past its end (02:30–03:00 that night); appendInterval drops such a period instead of
  // giving it an end before its start.
  intervals.sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const interval of intervals) appendInterval(merged, interval.from, interval.to);
  return merged;
}

/**
 * The instant a local wall-clock time occurs on a local date. In the spring-forward gap luxon moves
 * the time later by the gap's length; a time repeated at fall-back takes its first occurrence, so
 * the answer does not depend on luxon's guess from the current date's offset.
 */
function localInstant(zone: Zone, dayNumber: number, minuteOfDay: number): number {
  const date = new Date(dayNumber * DAY_MS);
  const local = DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: Math.floor(minuteOfDay / 60),
      minute: minuteOfDay % 60,
    },
    { zone },
  );
  return Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
}

function weekdayIndex(dayNumber: number): number {
  return (((dayNumber + EPOCH_WEEKDAY_INDEX) % 7) + 7) % 7;
}

/** Appends [from, to) to ordered disjoint intervals: merged when it touches the last, clamped never to reach back. */
function appendInterval(intervals: Interval[], from: number, to: number): void {
  const last = intervals.at(-1);
  const start = last ? Math.max(from, last.to) : from;
  if (to <= start) return;
  if (last && start === last.to) last.to = to;
  else intervals.push({ from: start, to });
}
