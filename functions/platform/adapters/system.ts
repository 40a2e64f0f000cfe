import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Clock } from '../domain/clock.js';
import type { IdGenerator, SecretGenerator } from '../domain/ids.js';

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

const nextUlid = monotonicFactory();

/** ULIDs: time-sortable, so ids double as chronological sort keys; monotonic within a millisecond. */
export const ulidGenerator: IdGenerator = { newId: () => nextUlid() };

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** Reply tokens from the OS's cryptographic source: 10 × 5 bits, so guessing one takes ~10^15 tries. */
export const cryptoSecrets: SecretGenerator = {
  newReplyToken: () => [...randomBytes(10)].map((byte) => CROCKFORD[byte % 32]).join(''),
};

/** Jittered exponential backoff after losing a race: 10, 20, 40 … ms, capped at 200 ms, ±50 %. */
export function jitteredBackoff(attempt: number): Promise<void> {
  const base = Math.min(200, 10 * 2 ** (attempt - 1));
  const delay = base / 2 + Math.random() * base;
  return new Promise((resolve) => setTimeout(resolve, delay));
}
