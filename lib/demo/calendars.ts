import type { BusinessCalendar } from '#sla';

type Holiday = BusinessCalendar['holidays'][number];
type OpeningPeriod = BusinessCalendar['weekly']['mon'][number];

/**
 * Polish public holidays (ustawa o dniach wolnych od pracy) for 2026 and 2027, Wigilia included
 * since 2025. Easter-dependent dates: Easter 2026-04-05 and 2027-03-28; Pentecost is Easter + 49
 * days, Corpus Christi Easter + 60 days.
 */
const POLISH_HOLIDAYS: Holiday[] = [
  { date: '2026-01-01', name: 'Nowy Rok (New Year)' },
  { date: '2026-01-06', name: 'Trzech Króli (Epiphany)' },
  { date: '2026-04-05', name: 'Wielkanoc (Easter Sunday)' },
  { date: '2026-04-06', name: 'Poniedziałek Wielkanocny (Easter Monday)' },
  { date: '2026-05-01', name: 'Święto Pracy (Labour Day)' },
  { date: '2026-05-03', name: 'Święto Konstytucji 3 Maja (Constitution Day)' },
  { date: '2026-05-24', name: 'Zielone Świątki (Pentecost)' },
  { date: '2026-06-04', name: 'Boże Ciało (Corpus Christi)' },
  { date: '2026-08-15', name: 'Wniebowzięcie NMP (Assumption)' },
  { date: '2026-11-01', name: 'Wszystkich Świętych (All Saints)' },
  { date: '2026-11-11', name: 'Narodowe Święto Niepodległości (Independence Day)' },
  { date: '2026-12-24', name: 'Wigilia (Christmas Eve)' },
  { date: '2026-12-25', name: 'Boże Narodzenie (Christmas Day)' },
  { date: '2026-12-26', name: 'Drugi dzień Bożego Narodzenia (Second Day of Christmas)' },
  { date: '2027-01-01', name: 'Nowy Rok (New Year)' },
  { date: '2027-01-06', name: 'Trzech Króli (Epiphany)' },
  { date: '2027-03-28', name: 'Wielkanoc (Easter Sunday)' },
  { date: '2027-03-29', name: 'Poniedziałek Wielkanocny (Easter Monday)' },
  { date: '2027-05-01', name: 'Święto Pracy (Labour Day)' },
  { date: '2027-05-03', name: 'Święto Konstytucji 3 Maja (Constitution Day)' },
  { date: '2027-05-16', name: 'Zielone Świątki (Pentecost)' },
  { date: '2027-05-27', name: 'Boże Ciało (Corpus Christi)' },
  { date: '2027-08-15', name: 'Wniebowzięcie NMP (Assumption)' },
  { date: '2027-11-01', name: 'Wszystkich Świętych (All Saints)' },
  { date: '2027-11-11', name: 'Narodowe Święto Niepodległości (Independence Day)' },
  { date: '2027-12-24', name: 'Wigilia (Christmas Eve)' },
  { date: '2027-12-25', name: 'Boże Narodzenie (Christmas Day)' },
  { date: '2027-12-26', name: 'Drugi dzień Bożego Narodzenia (Second Day of Christmas)' },
];

/**
 * German public holidays observed in every Land, 2026 and 2027. Easter-dependent dates: Karfreitag
 * is Easter − 2 days, Ostermontag + 1, Christi Himmelfahrt + 39, Pfingstmontag + 50.
 */
const GERMAN_NATIONWIDE_HOLIDAYS: Holiday[] = [
  { date: '2026-01-01', name: 'Neujahr (New Year)' },
  { date: '2026-04-03', name: 'Karfreitag (Good Friday)' },
  { date: '2026-04-06', name: 'Ostermontag (Easter Monday)' },
  { date: '2026-05-01', name: 'Tag der Arbeit (Labour Day)' },
  { date: '2026-05-14', name: 'Christi Himmelfahrt (Ascension Day)' },
  { date: '2026-05-25', name: 'Pfingstmontag (Whit Monday)' },
  { date: '2026-10-03', name: 'Tag der Deutschen Einheit (German Unity Day)' },
  { date: '2026-12-25', name: '1. Weihnachtstag (Christmas Day)' },
  { date: '2026-12-26', name: '2. Weihnachtstag (Second Day of Christmas)' },
  { date: '2027-01-01', name: 'Neujahr (New Year)' },
  { date: '2027-03-26', name: 'Karfreitag (Good Friday)' },
  { date: '2027-03-29', name: 'Ostermontag (Easter Monday)' },
  { date: '2027-05-01', name: 'Tag der Arbeit (Labour Day)' },
  { date: '2027-05-06', name: 'Christi Himmelfahrt (Ascension Day)' },
  { date: '2027-05-17', name: 'Pfingstmontag (Whit Monday)' },
  { date: '2027-10-03', name: 'Tag der Deutschen Einheit (German Unity Day)' },
  { date: '2027-12-25', name: '1. Weihnachtstag (Christmas Day)' },
  { date: '2027-12-26', name: '2. Weihnachtstag (Second Day of Christmas)' },
];

/** The same opening periods Monday to Friday; each day gets its own copies so no list is shared. */
function weekdaysOnly(periods: OpeningPeriod[], saturday: OpeningPeriod[] = []): BusinessCalendar['weekly'] {
  const copy = (list: OpeningPeriod[]) => list.map((period) => ({ ...period }));
  return {
    mon: copy(periods),
    tue: copy(periods),
    wed: copy(periods),
    thu: copy(periods),
    fri: copy(periods),
    sat: copy(saturday),
    sun: [],
  };
}

/**
 * Business-hours calendars of the demo scenario: a B2C retailer in Poland entering Germany. The
 * built-in `24x7` calendar exists besides these in every deployment.
 */
export const DEMO_CALENDARS: readonly BusinessCalendar[] = [
  {
    name: 'warsaw-customer-service',
    description: 'Polish customer service: Mon–Fri 08:00–20:00, Sat 09:00–15:00, closed on Sundays and Polish public holidays.',
    timeZone: 'Europe/Warsaw',
    weekly: weekdaysOnly([{ start: '08:00', end: '20:00' }], [{ start: '09:00', end: '15:00' }]),
    holidays: POLISH_HOLIDAYS.map((holiday) => ({ ...holiday })),
  },
  {
    name: 'warsaw-office',
    description: 'Warsaw back office: Mon–Fri 09:00–17:00 with a lunch break 12:00–12:30, closed on Polish public holidays.',
    timeZone: 'Europe/Warsaw',
    weekly: weekdaysOnly([
      { start: '09:00', end: '12:00' },
      { start: '12:30', end: '17:00' },
    ]),
    holidays: POLISH_HOLIDAYS.map((holiday) => ({ ...holiday })),
  },
  {
    name: 'berlin-office',
    description: 'German team: Mon–Fri 08:00–18:00, closed on German nationwide public holidays.',
    timeZone: 'Europe/Berlin',
    weekly: weekdaysOnly([{ start: '08:00', end: '18:00' }]),
    holidays: GERMAN_NATIONWIDE_HOLIDAYS.map((holiday) => ({ ...holiday })),
  },
];
