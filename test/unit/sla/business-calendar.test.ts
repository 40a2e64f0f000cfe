import { describe, expect, it } from 'vitest';
import {
  addBusinessMillis,
  ALWAYS_OPEN_CALENDAR,
  type BusinessCalendar,
  businessMillisBetween,
  calendarIssues,
  isAlwaysOpen,
  openIntervals,
  type OpeningPeriod,
  WEEKDAYS,
} from '#sla/domain/business-calendar';
import { DEMO_CALENDARS } from '../../support/demo-settings.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Epoch ms of an ISO instant; every instant below is written in UTC so the offsets stay visible. */
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

function calendarNamed(name: string): BusinessCalendar {
  const calendar = [ALWAYS_OPEN_CALENDAR, ...DEMO_CALENDARS].find((candidate) => candidate.name === name);
  if (!calendar) throw new Error(`no default calendar ${name}`);
  return calendar;
}

/** The same periods on every weekday. */
function everyDay(periods: OpeningPeriod[]): BusinessCalendar['weekly'] {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, periods.map((period) => ({ ...period }))])) as BusinessCalendar['weekly'];
}

/** A valid calendar: Europe/Warsaw, Mon–Fri 09:00–17:00, no holidays; overrides replace whole fields. */
function aCalendar(overrides: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return {
    name: 'test-calendar',
    description: 'for tests',
    timeZone: 'Europe/Warsaw',
    weekly: {
      mon: [{ start: '09:00', end: '17:00' }],
      tue: [{ start: '09:00', end: '17:00' }],
      wed: [{ start: '09:00', end: '17:00' }],
      thu: [{ start: '09:00', end: '17:00' }],
      fri: [{ start: '09:00', end: '17:00' }],
      sat: [],
      sun: [],
    },
    holidays: [],
    ...overrides,
  };
}

/** Seeded generator (mulberry32): the same sequence on every run, so a failure reproduces. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 2026-01-01 to 2027-12-31: both years of holidays and four clock changes. */
const RANGE_START = at('2026-01-01T00:00:00Z');
const RANGE_MS = at('2027-12-31T00:00:00Z') - RANGE_START;

/** The default calendars as [name, calendar] rows for it.each. */
const BY_NAME = DEMO_CALENDARS.map((calendar) => [calendar.name, calendar] as const);

describe('calendarIssues', () => {
  it.each(BY_NAME)('finds no issue in the default calendar %s', (_name, calendar) => {
    // Prepare: the default calendar

    // Act
    const issues = calendarIssues(calendar);

    // Assess
    expect(issues).toEqual([]);
  });

  it('offers the three demo calendars, besides the built-in 24x7', () => {
    // Prepare / Act
    const names = DEMO_CALENDARS.map((calendar) => calendar.name);

    // Assess
    expect(names).toEqual(['warsaw-customer-service', 'warsaw-office', 'berlin-office']);
  });

  const week = aCalendar().weekly;
  it.each<[string, Partial<BusinessCalendar>, string, RegExp]>([
    ['an unknown time zone', { timeZone: 'Europe/Warsawa' }, 'timeZone', /unknown IANA time zone 'Europe\/Warsawa'/],
    [
      'a start without two-digit hours',
      { weekly: { ...week, mon: [{ start: '9:00', end: '17:00' }] } },
      'weekly.mon[0].start',
      /'9:00' is not a time/,
    ],
    ['a start at 24:00', { weekly: { ...week, mon: [{ start: '24:00', end: '24:00' }] } }, 'weekly.mon[0].start', /'24:00' is not a time/],
    ['an end past 24:00', { weekly: { ...week, tue: [{ start: '09:00', end: '24:30' }] } }, 'weekly.tue[0].end', /'24:30' is not a time/],
    ['minutes over 59', { weekly: { ...week, tue: [{ start: '09:60', end: '17:00' }] } }, 'weekly.tue[0].start', /'09:60' is not a time/],
    [
      'a start equal to the end',
      { weekly: { ...week, wed: [{ start: '09:00', end: '09:00' }] } },
      'weekly.wed[0].end',
      /must be after start/,
    ],
    ['a start after the end', { weekly: { ...week, wed: [{ start: '17:00', end: '09:00' }] } }, 'weekly.wed[0].end', /must be after start/],
    [
      'overlapping periods',
      {
        weekly: {
          ...week,
          thu: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '17:00' },
          ],
        },
      },
      'weekly.thu[1].start',
      /must not overlap/,
    ],
    [
      'unsorted periods',
      {
        weekly: {
          ...week,
          fri: [
            { start: '13:00', end: '17:00' },
            { start: '09:00', end: '12:00' },
          ],
        },
      },
      'weekly.fri[1].start',
      /must be sorted/,
    ],
    [
      'a holiday date that does not exist',
      { holidays: [{ date: '2026-02-30', name: 'no such day' }] },
      'holidays[0].date',
      /is not a date/,
    ],
    ['a holiday date in another format', { holidays: [{ date: '24.12.2026', name: 'Wigilia' }] }, 'holidays[0].date', /is not a date/],
    [
      'a duplicate holiday date',
      {
        holidays: [
          { date: '2026-12-24', name: 'Wigilia' },
          { date: '2026-12-25', name: 'Boże Narodzenie' },
          { date: '2026-12-24', name: 'Christmas Eve' },
        ],
      },
      'holidays[2].date',
      /duplicates holidays\[0\]/,
    ],
    ['no opening period at all', { weekly: everyDay([]) }, 'weekly', /no opening period/],
  ])('reports %s at its path', (_kind, overrides, path, message) => {
    // Prepare
    const calendar = aCalendar(overrides);

    // Act
    const issues = calendarIssues(calendar);

    // Assess: exactly the one problem, so each check is shown to be targeted
    expect(issues).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('accepts touching periods, 24:00 as an end and a valid base calendar', () => {
    // Prepare
    const calendar = aCalendar({
      weekly: {
        ...week,
        sat: [
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '24:00' },
        ],
      },
    });

    // Act
    const issues = calendarIssues(calendar);

    // Assess
    expect(issues).toEqual([]);
    expect(calendarIssues(aCalendar())).toEqual([]);
  });

  it('makes the arithmetic refuse an invalid calendar, naming it and the issue', () => {
    // Prepare
    const calendar = aCalendar({ name: 'broken', timeZone: 'Mars/Olympus' });

    // Act
    const act = () => businessMillisBetween(calendar, at('2026-01-12T00:00:00Z'), at('2026-01-13T00:00:00Z'));

    // Assess
    expect(act).toThrow(/'broken' is invalid: timeZone: unknown IANA time zone/);
  });
});

describe('isAlwaysOpen', () => {
  it.each<[string, boolean, BusinessCalendar]>([
    ['the 24x7 calendar', true, ALWAYS_OPEN_CALENDAR],
    ['every day 00:00–24:00 in Europe/Warsaw', true, aCalendar({ weekly: everyDay([{ start: '00:00', end: '24:00' }]) })],
    [
      'every day in two touching periods',
      true,
      aCalendar({
        weekly: everyDay([
          { start: '00:00', end: '12:00' },
          { start: '12:00', end: '24:00' },
        ]),
      }),
    ],
    [
      'every day open but with a holiday',
      false,
      aCalendar({ weekly: everyDay([{ start: '00:00', end: '24:00' }]), holidays: [{ date: '2030-01-01', name: 'far away' }] }),
    ],
    ['every day but one minute short', false, aCalendar({ weekly: everyDay([{ start: '00:00', end: '23:59' }]) })],
    ['office hours', false, calendarNamed('warsaw-office')],
  ])('says %s is always open: %s', (_name, expected, calendar) => {
    // Prepare: the calendar

    // Act
    const alwaysOpen = isAlwaysOpen(calendar);

    // Assess
    expect(alwaysOpen).toBe(expected);
  });

  it('lets an always-open calendar count elapsed time', () => {
    // Prepare
    const from = at('2026-03-28T12:34:56.789Z');

    // Act
    const between = businessMillisBetween(ALWAYS_OPEN_CALENDAR, from, from + 5 * DAY + 7);
    const due = addBusinessMillis(ALWAYS_OPEN_CALENDAR, from, 3 * HOUR + 1);
    const backwards = businessMillisBetween(ALWAYS_OPEN_CALENDAR, from, from - HOUR);

    // Assess
    expect(between).toBe(5 * DAY + 7);
    expect(due).toBe(from + 3 * HOUR + 1);
    expect(backwards).toBe(0);
  });
});

describe('openIntervals', () => {
  it('merges a day open until 24:00 with the next day opening at 00:00', () => {
    // Prepare: Monday all day and Tuesday until 08:00, Warsaw in winter time (UTC+1)
    const calendar = aCalendar({
      weekly: { ...everyDay([]), mon: [{ start: '00:00', end: '24:00' }], tue: [{ start: '00:00', end: '08:00' }] },
    });

    // Act: Sunday 2026-01-11 to Thursday 2026-01-15
    const intervals = openIntervals(calendar, at('2026-01-11T00:00:00Z'), at('2026-01-15T00:00:00Z'));

    // Assess
    expect(intervals.map(({ from, to }) => [iso(from), iso(to)])).toEqual([['2026-01-11T23:00:00.000Z', '2026-01-13T07:00:00.000Z']]);
  });

  it('keeps the lunch break of the Warsaw office as a gap', () => {
    // Prepare: Monday 2026-01-12, winter time (UTC+1)
    const calendar = calendarNamed('warsaw-office');

    // Act
    const intervals = openIntervals(calendar, at('2026-01-11T23:00:00Z'), at('2026-01-12T23:00:00Z'));

    // Assess
    expect(intervals.map(({ from, to }) => [iso(from), iso(to)])).toEqual([
      ['2026-01-12T08:00:00.000Z', '2026-01-12T11:00:00.000Z'],
      ['2026-01-12T11:30:00.000Z', '2026-01-12T16:00:00.000Z'],
    ]);
  });

  it('clips the intervals to the range asked for', () => {
    // Prepare: Monday 2026-01-12 10:00 to 13:00 local
    const calendar = calendarNamed('warsaw-office');

    // Act
    const intervals = openIntervals(calendar, at('2026-01-12T09:00:00Z'), at('2026-01-12T12:00:00Z'));

    // Assess
    expect(intervals.map(({ from, to }) => [iso(from), iso(to)])).toEqual([
      ['2026-01-12T09:00:00.000Z', '2026-01-12T11:00:00.000Z'],
      ['2026-01-12T11:30:00.000Z', '2026-01-12T12:00:00.000Z'],
    ]);
  });

  it('returns nothing for an empty or reversed range', () => {
    // Prepare
    const calendar = calendarNamed('warsaw-office');
    const monday10 = at('2026-01-12T09:00:00Z');

    // Act
    const empty = openIntervals(calendar, monday10, monday10);
    const reversed = openIntervals(calendar, monday10, monday10 - HOUR);

    // Assess
    expect(empty).toEqual([]);
    expect(reversed).toEqual([]);
    expect(businessMillisBetween(calendar, monday10, monday10 - HOUR)).toBe(0);
  });
});

describe('several periods a day (warsaw-office, 09:00–12:00 and 12:30–17:00)', () => {
  const office = calendarNamed('warsaw-office');

  it('counts 7.5 hours in a full working day, not the 30-minute lunch break', () => {
    // Prepare: Monday 2026-01-12, local midnight to midnight
    const from = at('2026-01-11T23:00:00Z');

    // Act
    const millis = businessMillisBetween(office, from, from + DAY);

    // Assess
    expect(millis).toBe(7.5 * HOUR);
  });

  it('starts counting at 12:30 for a span that starts inside the break', () => {
    // Prepare: 12:10 to 14:00 local
    const from = at('2026-01-12T11:10:00Z');

    // Act
    const millis = businessMillisBetween(office, from, at('2026-01-12T13:00:00Z'));
    const due = addBusinessMillis(office, from, HOUR);

    // Assess
    expect(millis).toBe(1.5 * HOUR);
    expect(iso(due)).toBe('2026-01-12T12:30:00.000Z'); // 13:30 local
  });

  it('stops counting at 12:00 for a span that ends inside the break', () => {
    // Prepare: 11:00 to 12:20 local
    const from = at('2026-01-12T10:00:00Z');

    // Act
    const millis = businessMillisBetween(office, from, at('2026-01-12T11:20:00Z'));

    // Assess
    expect(millis).toBe(HOUR);
  });

  it('skips the break when adding time across it, and lands on 12:00 itself when the time runs out there', () => {
    // Prepare: 11:30 and 11:00 local
    const half = at('2026-01-12T10:30:00Z');
    const eleven = at('2026-01-12T10:00:00Z');

    // Act
    const acrossBreak = addBusinessMillis(office, half, HOUR);
    const untilBreak = addBusinessMillis(office, eleven, HOUR);

    // Assess
    expect(iso(acrossBreak)).toBe('2026-01-12T12:00:00.000Z'); // 13:00 local
    expect(iso(untilBreak)).toBe('2026-01-12T11:00:00.000Z'); // 12:00 local: the earliest instant
  });
});

describe('weekends', () => {
  it('moves Friday 19:00 + 2 business hours to Saturday 10:00 for customer service (open Sat 09:00–15:00)', () => {
    // Prepare: Friday 2026-01-16 19:00 Warsaw (UTC+1)
    const calendar = calendarNamed('warsaw-customer-service');

    // Act
    const due = addBusinessMillis(calendar, at('2026-01-16T18:00:00Z'), 2 * HOUR);

    // Assess
    expect(iso(due)).toBe('2026-01-17T09:00:00.000Z'); // Saturday 10:00 local
  });

  it('moves Saturday 14:00 + 2 business hours past the closed Sunday to Monday 09:00', () => {
    // Prepare: Saturday 2026-01-17 14:00 Warsaw
    const calendar = calendarNamed('warsaw-customer-service');

    // Act
    const due = addBusinessMillis(calendar, at('2026-01-17T13:00:00Z'), 2 * HOUR);

    // Assess
    expect(iso(due)).toBe('2026-01-19T08:00:00.000Z'); // Monday 09:00 local
  });

  it('moves Friday 16:00 + 2 business hours to Monday 10:00 for the office closed all weekend', () => {
    // Prepare: Friday 2026-01-16 16:00 Warsaw
    const calendar = calendarNamed('warsaw-office');

    // Act
    const due = addBusinessMillis(calendar, at('2026-01-16T15:00:00Z'), 2 * HOUR);

    // Assess
    expect(iso(due)).toBe('2026-01-19T09:00:00.000Z'); // Monday 10:00 local
  });

  it.each([
    ['warsaw-customer-service', 5 * 12 + 6],
    ['warsaw-office', 5 * 7.5],
    ['berlin-office', 5 * 10],
    ['24x7', 7 * 24],
  ])('counts the hours of a holiday-free week for %s', (name, hours) => {
    // Prepare: Monday 2026-01-12 00:00 to Monday 2026-01-19 00:00, Warsaw and Berlin both UTC+1
    const calendar = calendarNamed(name);

    // Act
    const millis = businessMillisBetween(calendar, at('2026-01-11T23:00:00Z'), at('2026-01-18T23:00:00Z'));

    // Assess
    expect(millis).toBe(hours * HOUR);
  });
});

describe('holidays', () => {
  it('skips Wigilia and both days of Christmas 2026 (Thu–Sat) and the Sunday for customer service', () => {
    // Prepare: Wednesday 2026-12-23 19:00 Warsaw
    const calendar = calendarNamed('warsaw-customer-service');

    // Act
    const due = addBusinessMillis(calendar, at('2026-12-23T18:00:00Z'), 2 * HOUR);
    const overChristmas = businessMillisBetween(calendar, at('2026-12-23T23:00:00Z'), at('2026-12-27T23:00:00Z'));

    // Assess
    expect(iso(due)).toBe('2026-12-28T08:00:00.000Z'); // Monday 09:00 local
    expect(overChristmas).toBe(0);
  });

  it('closes the Warsaw office on Easter Monday 2026-04-06 but not on Good Friday', () => {
    // Prepare: Friday 2026-04-03 16:00 Warsaw, summer time (UTC+2)
    const calendar = calendarNamed('warsaw-office');

    // Act
    const due = addBusinessMillis(calendar, at('2026-04-03T14:00:00Z'), 2 * HOUR);
    const easterMonday = businessMillisBetween(calendar, at('2026-04-05T22:00:00Z'), at('2026-04-06T22:00:00Z'));
    const goodFriday = businessMillisBetween(calendar, at('2026-04-02T22:00:00Z'), at('2026-04-03T22:00:00Z'));

    // Assess
    expect(iso(due)).toBe('2026-04-07T08:00:00.000Z'); // Tuesday 10:00 local
    expect(easterMonday).toBe(0);
    expect(goodFriday).toBe(7.5 * HOUR);
  });

  it('closes the Berlin office on Karfreitag and Ostermontag 2026', () => {
    // Prepare: Thursday 2026-04-02 17:00 Berlin (UTC+2)
    const calendar = calendarNamed('berlin-office');

    // Act
    const due = addBusinessMillis(calendar, at('2026-04-02T15:00:00Z'), 2 * HOUR);

    // Assess
    expect(iso(due)).toBe('2026-04-07T07:00:00.000Z'); // Tuesday 09:00 local
  });

  it('shifts a due time by one working day when a holiday falls on a weekday (Wednesday 2026-11-11)', () => {
    // Prepare: Tuesday 2026-11-10 16:00 Warsaw (UTC+1), the office with and without its holidays
    const withHolidays = calendarNamed('warsaw-office');
    const withoutHolidays = { ...withHolidays, holidays: [] };
    const from = at('2026-11-10T15:00:00Z');

    // Act
    const due = addBusinessMillis(withHolidays, from, 2 * HOUR);
    const dueWithoutHoliday = addBusinessMillis(withoutHolidays, from, 2 * HOUR);

    // Assess
    expect(iso(dueWithoutHoliday)).toBe('2026-11-11T09:00:00.000Z'); // Wednesday 10:00 local
    expect(iso(due)).toBe('2026-11-12T09:00:00.000Z'); // Thursday 10:00 local
  });

  it('treats holidays as local dates of the calendar zone', () => {
    // Prepare: Easter Monday 2027-03-29 in Berlin: open 08:00–18:00 on other Mondays
    const calendar = calendarNamed('berlin-office');

    // Act
    const easterMonday = businessMillisBetween(calendar, at('2027-03-28T22:00:00Z'), at('2027-03-29T22:00:00Z'));
    const nextMonday = businessMillisBetween(calendar, at('2027-04-04T22:00:00Z'), at('2027-04-05T22:00:00Z'));

    // Assess
    expect(easterMonday).toBe(0);
    expect(nextMonday).toBe(10 * HOUR);
  });
});

describe('daylight-saving changes in Europe/Warsaw', () => {
  const allDay = everyDay([{ start: '00:00', end: '24:00' }]);
  // A holiday far from the tested dates turns off the always-open fast path: the day-by-day path must agree.
  it.each<[string, BusinessCalendar, boolean]>([
    ['the always-open fast path', aCalendar({ name: 'warsaw-24x7', weekly: allDay }), true],
    [
      'the day-by-day path',
      aCalendar({ name: 'warsaw-24x7-day-by-day', weekly: allDay, holidays: [{ date: '2000-01-01', name: 'far away' }] }),
      false,
    ],
  ])('gives a local 24/7 calendar 23 h on 2026-03-29 and 25 h on 2026-10-25 (%s)', (_path, calendar, fastPath) => {
    // Prepare: local midnights; 2026-03-29 02:00 CET becomes 03:00 CEST, 2026-10-25 03:00 CEST becomes 02:00 CET
    expect(isAlwaysOpen(calendar)).toBe(fastPath);

    // Act
    const springDay = businessMillisBetween(calendar, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'));
    const autumnDay = businessMillisBetween(calendar, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'));
    const springWeek = businessMillisBetween(calendar, at('2026-03-22T23:00:00Z'), at('2026-03-29T22:00:00Z'));
    const dayAfterSpringMidnight = addBusinessMillis(calendar, at('2026-03-28T23:00:00Z'), 24 * HOUR);
    const intervals = openIntervals(calendar, at('2026-10-20T00:00:00Z'), at('2026-10-30T00:00:00Z'));

    // Assess
    expect(springDay).toBe(23 * HOUR);
    expect(autumnDay).toBe(25 * HOUR);
    expect(springWeek).toBe((7 * 24 - 1) * HOUR);
    expect(iso(dayAfterSpringMidnight)).toBe('2026-03-29T23:00:00.000Z'); // Monday 01:00 CEST
    expect(intervals).toEqual([{ from: at('2026-10-20T00:00:00Z'), to: at('2026-10-30T00:00:00Z') }]);
  });

  it('opens an 08:00 office at 06:00Z in summer time and 07:00Z in winter time, on the change days too', () => {
    // Prepare: open every day 08:00–16:00 local, so the change days (both Sundays) are working days
    const calendar = aCalendar({ weekly: everyDay([{ start: '08:00', end: '16:00' }]) });

    // Act
    const days = ['2026-03-28', '2026-03-29', '2026-10-24', '2026-10-25'].map((date) =>
      openIntervals(calendar, at(`${date}T00:00:00Z`), at(`${date}T23:00:00Z`)).map(({ from, to }) => [iso(from), iso(to)]),
    );

    // Assess
    expect(days).toEqual([
      [['2026-03-28T07:00:00.000Z', '2026-03-28T15:00:00.000Z']], // Saturday, CET
      [['2026-03-29T06:00:00.000Z', '2026-03-29T14:00:00.000Z']], // spring-forward Sunday, CEST
      [['2026-10-24T06:00:00.000Z', '2026-10-24T14:00:00.000Z']], // Saturday, CEST
      [['2026-10-25T07:00:00.000Z', '2026-10-25T15:00:00.000Z']], // fall-back Sunday, CET
    ]);
  });

  it('gives a night shift 00:00–06:00 five hours on the spring-forward night and seven on the fall-back night', () => {
    // Prepare
    const calendar = aCalendar({ weekly: everyDay([{ start: '00:00', end: '06:00' }]) });

    // Act
    const spring = businessMillisBetween(calendar, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'));
    const autumn = businessMillisBetween(calendar, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'));

    // Assess
    expect(spring).toBe(5 * HOUR);
    expect(autumn).toBe(7 * HOUR);
  });

  it('starts a period whose start does not exist (02:30 on 2026-03-29) where luxon maps it, 03:30 CEST', () => {
    // Prepare: 02:30–04:00 local every day
    const calendar = aCalendar({ weekly: everyDay([{ start: '02:30', end: '04:00' }]) });

    // Act
    const before = openIntervals(calendar, at('2026-03-28T00:00:00Z'), at('2026-03-28T12:00:00Z'));
    const changeDay = openIntervals(calendar, at('2026-03-29T00:00:00Z'), at('2026-03-29T12:00:00Z'));

    // Assess
    expect(before).toEqual([{ from: at('2026-03-28T01:30:00Z'), to: at('2026-03-28T03:00:00Z') }]);
    expect(changeDay).toEqual([{ from: at('2026-03-29T01:30:00Z'), to: at('2026-03-29T02:00:00Z') }]);
  });

  it('gives a period that lies inside the skipped hour no time rather than an end before its start', () => {
    // Prepare: 02:30–03:00 local; on 2026-03-29 02:30 maps to 03:30 CEST, after 03:00 CEST
    const calendar = aCalendar({ weekly: everyDay([{ start: '02:30', end: '03:00' }]) });

    // Act
    const changeDay = businessMillisBetween(calendar, at('2026-03-28T22:00:00Z'), at('2026-03-29T22:00:00Z'));
    const dayBefore = businessMillisBetween(calendar, at('2026-03-27T23:00:00Z'), at('2026-03-28T23:00:00Z'));

    // Assess
    expect(changeDay).toBe(0);
    expect(dayBefore).toBe(30 * MINUTE);
  });

  it('takes the first occurrence of a repeated local time on 2026-10-25, whatever the date the code runs', () => {
    // Prepare: 02:30–04:00 local; 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET)
    const calendar = aCalendar({ weekly: everyDay([{ start: '02:30', end: '04:00' }]) });

    // Act
    const changeDay = openIntervals(calendar, at('2026-10-25T00:00:00Z'), at('2026-10-25T12:00:00Z'));

    // Assess
    expect(changeDay).toEqual([{ from: at('2026-10-25T00:30:00Z'), to: at('2026-10-25T03:00:00Z') }]);
  });

  it('lands a due time over the change weekends on the right Monday 09:00 for customer service', () => {
    // Prepare: Saturday 14:00 local before each change, + 2 business hours (1 h Saturday, 1 h Monday)
    const calendar = calendarNamed('warsaw-customer-service');

    // Act
    const afterSpring = addBusinessMillis(calendar, at('2026-03-28T13:00:00Z'), 2 * HOUR);
    const afterAutumn = addBusinessMillis(calendar, at('2026-10-24T12:00:00Z'), 2 * HOUR);

    // Assess
    expect(iso(afterSpring)).toBe('2026-03-30T07:00:00.000Z'); // Monday 09:00 CEST
    expect(iso(afterAutumn)).toBe('2026-10-26T08:00:00.000Z'); // Monday 09:00 CET
  });
});

describe('addBusinessMillis and businessMillisBetween are inverse', () => {
  it.each(BY_NAME)('for %s over 300 seeded random starts and durations', (_name, calendar) => {
    // Prepare
    const random = seededRandom(20_260_329);
    const failures: string[] = [];

    // Act
    for (let i = 0; i < 300; i += 1) {
      const from = RANGE_START + Math.floor(random() * RANGE_MS);
      // Up to 80 business hours: several weeks of office time, crossing weekends and holidays.
      const millis = i % 50 === 0 ? 0 : Math.floor(random() * 80 * HOUR);
      const due = addBusinessMillis(calendar, from, millis);
      const counted = businessMillisBetween(calendar, from, due);
      const justBefore = millis > 0 ? businessMillisBetween(calendar, from, due - 1) : -1;
      if (due < from || counted !== millis || justBefore >= millis) {
        failures.push(`from ${iso(from)} + ${millis} ms -> ${iso(due)}: counted ${counted}, 1 ms earlier ${justBefore}`);
      }
    }

    // Assess
    expect(failures).toEqual([]);
  });

  it.each(BY_NAME)('for %s from the other side: adding the time counted up to t never passes t', (_name, calendar) => {
    // Prepare
    const random = seededRandom(20_261_025);
    const failures: string[] = [];

    // Act
    for (let i = 0; i < 300; i += 1) {
      const from = RANGE_START + Math.floor(random() * RANGE_MS);
      const to = from + Math.floor(random() * 21 * DAY);
      const counted = businessMillisBetween(calendar, from, to);
      const due = addBusinessMillis(calendar, from, counted);
      if (due > to || businessMillisBetween(calendar, from, due) !== counted) {
        failures.push(`[${iso(from)}, ${iso(to)}) counts ${counted} ms, but adding it gives ${iso(due)}`);
      }
    }

    // Assess
    expect(failures).toEqual([]);
  });
});

describe('pauses across closed hours', () => {
  it.each(BY_NAME)('for %s, splitting an interval at any point preserves the sum', (_name, calendar) => {
    // Prepare
    const random = seededRandom(42);
    const failures: string[] = [];

    // Act
    for (let i = 0; i < 300; i += 1) {
      const a = RANGE_START + Math.floor(random() * RANGE_MS);
      const d = a + Math.floor(random() * 30 * DAY);
      const split = a + Math.floor(random() * (d - a));
      const whole = businessMillisBetween(calendar, a, d);
      const parts = businessMillisBetween(calendar, a, split) + businessMillisBetween(calendar, split, d);
      if (parts !== whole) failures.push(`[${iso(a)}, ${iso(d)}) split at ${iso(split)}: ${parts} vs ${whole}`);
    }

    // Assess
    expect(failures).toEqual([]);
  });

  it.each(BY_NAME)('for %s, running [a,b) and [c,d) counts [a,d) minus the pause [b,c)', (_name, calendar) => {
    // Prepare
    const random = seededRandom(7);
    const failures: string[] = [];

    // Act
    for (let i = 0; i < 300; i += 1) {
      const start = RANGE_START + Math.floor(random() * RANGE_MS);
      const points = [0, 1, 2, 3].map(() => start + Math.floor(random() * 20 * DAY)).sort((x, y) => x - y);
      const [a, b, c, d] = points as [number, number, number, number];
      const running = businessMillisBetween(calendar, a, b) + businessMillisBetween(calendar, c, d);
      const expected = businessMillisBetween(calendar, a, d) - businessMillisBetween(calendar, b, c);
      if (running !== expected) failures.push(`a ${iso(a)} b ${iso(b)} c ${iso(c)} d ${iso(d)}: ${running} vs ${expected}`);
    }

    // Assess
    expect(failures).toEqual([]);
  });

  it('does not count a pause that covers a whole weekend of customer service', () => {
    // Prepare: running Friday 2026-01-16 18:00–19:00 and Monday 2026-01-19 08:00–09:00 local, paused in between
    const calendar = calendarNamed('warsaw-customer-service');
    const [a, b, c, d] = ['2026-01-16T17:00:00Z', '2026-01-16T18:00:00Z', '2026-01-19T07:00:00Z', '2026-01-19T08:00:00Z'].map(at) as [
      number,
      number,
      number,
      number,
    ];

    // Act
    const running = businessMillisBetween(calendar, a, b) + businessMillisBetween(calendar, c, d);
    const whole = businessMillisBetween(calendar, a, d);

    // Assess: the whole span also holds Friday 19:00–20:00 and Saturday 09:00–15:00
    expect(running).toBe(2 * HOUR);
    expect(whole).toBe(2 * HOUR + HOUR + 6 * HOUR);
  });
});

describe('the 400-day guard', () => {
  /** Open Mondays 09:00–17:00 only, with the first `count` Mondays from 2026-01-05 as holidays. */
  function mondaysOnly(count: number): BusinessCalendar {
    const firstMonday = Date.UTC(2026, 0, 5);
    return aCalendar({
      name: 'mondays-only',
      weekly: { ...everyDay([]), mon: [{ start: '09:00', end: '17:00' }] },
      holidays: Array.from({ length: count }, (_, week) => ({
        date: iso(firstMonday + week * 7 * DAY).slice(0, 10),
        name: `closed Monday ${week + 1}`,
      })),
    });
  }

  it('throws, naming the calendar, when the only open weekday is a holiday for the next 60 weeks (424 days)', () => {
    // Prepare
    const calendar = mondaysOnly(60);

    // Act
    const act = () => addBusinessMillis(calendar, at('2026-01-01T00:00:00Z'), HOUR);

    // Assess
    expect(calendarIssues(calendar)).toEqual([]);
    expect(act).toThrow(Error);
    expect(act).toThrow(/'mondays-only' has no open time within 400 days/);
  });

  it('still finds open time 354 days away', () => {
    // Prepare: 50 closed Mondays, so Monday 2026-12-21 is the first open day
    const calendar = mondaysOnly(50);

    // Act
    const due = addBusinessMillis(calendar, at('2026-01-01T00:00:00Z'), HOUR);

    // Assess
    expect(iso(due)).toBe('2026-12-21T09:00:00.000Z'); // 10:00 local
  });

  it('throws for a calendar with no opening period at all, which still counts zero business time', () => {
    // Prepare
    const calendar = aCalendar({ name: 'never-open', weekly: everyDay([]) });

    // Act
    const act = () => addBusinessMillis(calendar, at('2026-01-01T00:00:00Z'), MINUTE);
    const counted = businessMillisBetween(calendar, at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'));

    // Assess
    expect(act).toThrow(/'never-open' has no open time within 400 days/);
    expect(counted).toBe(0);
  });

  it('returns the start for zero millis even on a calendar that never opens, and refuses negative millis', () => {
    // Prepare
    const calendar = aCalendar({ name: 'never-open', weekly: everyDay([]) });
    const from = at('2026-01-01T00:00:00Z');

    // Act
    const due = addBusinessMillis(calendar, from, 0);
    const negative = () => addBusinessMillis(calendarNamed('warsaw-office'), from, -1);

    // Assess
    expect(due).toBe(from);
    expect(negative).toThrow(/'warsaw-office': millis must be a finite number >= 0/);
  });
});
