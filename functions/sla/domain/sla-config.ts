import type { QueueSettings } from '#cases';
import { ALWAYS_OPEN_CALENDAR, type BusinessCalendar } from './business-calendar.js';
import type { CalendarLookup, ClockScale } from './sla-clock.js';
import type { SlaPolicy, Versioned } from './sla-policy.js';

/**
 * The deployment's default policies and calendars: from its configuration (`switchboard:slaPolicies`,
 * `switchboard:slaCalendars`), written into the cases table at each deployment. The 24/7 calendar
 * is built in besides them.
 */
export interface SlaDefaults {
  policies: SlaPolicy[];
  calendars: BusinessCalendar[];
}

/** The deployment's defaults and the SLA documents admins edited (stored), which replace the defaults of the same name. */
export interface StoredSlaConfig {
  defaults: SlaDefaults;
  policies: Versioned<SlaPolicy>[];
  calendars: Versioned<BusinessCalendar>[];
}

/** Settings of the SLA use cases, from the deployment. */
export interface SlaSettings extends ClockScale {
  queues: readonly QueueSettings[];
}

const builtIn = <T>(value: T): Versioned<T> => ({ value, version: 0, updatedAt: null, updatedBy: null });

function overlay<T extends { name: string }>(defaults: readonly T[], stored: readonly Versioned<T>[]): Versioned<T>[] {
  const byName = new Map<string, Versioned<T>>(defaults.map((value) => [value.name, builtIn(value)]));
  for (const document of stored) byName.set(document.value.name, document);
  return [...byName.values()].sort((a, b) => a.value.name.localeCompare(b.value.name));
}

/** The SLA configuration in force: the deployment's defaults, each replaced by a stored edit of the same name. */
export class SlaConfig {
  readonly policies: Versioned<SlaPolicy>[];
  readonly calendars: Versioned<BusinessCalendar>[];

  constructor(stored: StoredSlaConfig) {
    this.policies = overlay(stored.defaults.policies, stored.policies);
    this.calendars = overlay([ALWAYS_OPEN_CALENDAR, ...stored.defaults.calendars], stored.calendars);
  }

  policy(name: string): Versioned<SlaPolicy> | null {
    return this.policies.find((policy) => policy.value.name === name) ?? null;
  }

  calendar(name: string): Versioned<BusinessCalendar> | null {
    return this.calendars.find((calendar) => calendar.value.name === name) ?? null;
  }

  /** Calendars by name; a name nobody defines runs on the 24/7 calendar rather than stopping the clock. */
  readonly lookup: CalendarLookup = (name) => {
    const found = this.calendar(name);
    return found ? { calendar: found.value, version: found.version } : { calendar: ALWAYS_OPEN_CALENDAR, version: 0 };
  };

  /** The calendar a case's clocks run on: the policy's own, else its queue's, else 24/7. */
  calendarNameFor(policy: SlaPolicy | null, queue: string, queues: readonly QueueSettings[]): string {
    return policy?.calendar ?? queues.find((candidate) => candidate.name === queue)?.calendar ?? ALWAYS_OPEN_CALENDAR.name;
  }
}
