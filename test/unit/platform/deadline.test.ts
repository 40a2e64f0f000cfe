import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerWithin } from '#platform/adapters/deadline';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const after = <T>(ms: number, settle: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(settle()), ms));

describe('answerWithin', () => {
  it('answers the work’s result when it settles before the deadline', async () => {
    const answer = answerWithin(
      100,
      () => after(99, () => 'done'),
      () => 'fallback',
    );
    await vi.advanceTimersByTimeAsync(100);

    expect(await answer).toEqual({ value: 'done', late: false });
  });

  it('answers the fallback at the deadline when the work is still running', async () => {
    const answer = answerWithin(
      100,
      () => after(5_000, () => 'done'),
      () => 'fallback',
    );
    await vi.advanceTimersByTimeAsync(100);

    expect(await answer).toEqual({ value: 'fallback', late: true });
  });

  it('passes a failure that comes in time on to the caller', async () => {
    const answer = answerWithin(
      100,
      () => Promise.reject(new Error('boom')),
      () => 'fallback',
    );

    await expect(answer).rejects.toThrow('boom');
  });

  it('swallows a failure that comes after the deadline, so it cannot be an unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const answer = answerWithin(
        100,
        () => after(200, () => Promise.reject(new Error('late'))).then((inner) => inner),
        () => 'fallback',
      );
      await vi.advanceTimersByTimeAsync(300);

      expect(await answer).toEqual({ value: 'fallback', late: true });
      await vi.advanceTimersByTimeAsync(0);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
