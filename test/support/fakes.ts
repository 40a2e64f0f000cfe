import type { Clock } from '#platform/domain/clock';
import type { IdGenerator, SecretGenerator } from '#platform/domain/ids';

/** A clock that stands still until the test moves it. */
export class FakeClock implements Clock {
  constructor(private current = Date.parse('2026-11-23T09:00:00.000Z')) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Ids `id-0001`, `id-0002`, …: predictable and sortable like ULIDs. */
export class SequentialIds implements IdGenerator {
  private next = 0;
  newId(): string {
    this.next += 1;
    return `id-${String(this.next).padStart(4, '0')}`;
  }
}

/** Reply tokens `tok0000001`, `tok0000002`, …: the right shape, predictable. */
export class SequentialSecrets implements SecretGenerator {
  private next = 0;
  newReplyToken(): string {
    this.next += 1;
    return `tok${String(this.next).padStart(7, '0')}`;
  }
}
