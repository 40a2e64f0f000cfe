/** The source of "now" for the domain. Production passes the system clock; tests pass a fake one. */
export interface Clock {
  /** Current instant in milliseconds since the Unix epoch. */
  now(): number;
}

/** ISO-8601 UTC timestamp of the clock's current instant. */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
