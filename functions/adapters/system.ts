import { monotonicFactory } from 'ulid';
import type { Clock } from '../domain/clock.js';
import type { IdGenerator } from '../domain/ids.js';

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

const nextUlid = monotonicFactory();

/** ULIDs: time-sortable, so ids double as chronological sort keys; monotonic within a millisecond. */
export const ulidGenerator: IdGenerator = { newId: () => nextUlid() };

/** Jittered exponential backoff after losing a race: 10, 20, 40 … ms, capped at 200 ms, ±50 %. */
export function jitteredBackoff(attempt: number): Promise<void> {
  const base = Math.min(200, 10 * 2 ** (attempt - 1));
  const delay = base / 2 + Math.random() * base;
  return new Promise((resolve) => setTimeout(resolve, delay));
}
