import { describe, expect, it } from 'vitest';
import { STATUSES, type CaseStatus } from '#cases/domain/case';
import { CASE_EVENTS, eventForStatusChange, nextStatus, transition } from '#cases/domain/transition';
import { IllegalTransitionError } from '#platform/domain/errors';
import { aCase } from '../../support/builders.js';
import { FakeClock } from '../../support/fakes.js';

describe('transition', () => {
  const legal: [CaseStatus, (typeof CASE_EVENTS)[number], CaseStatus][] = [
    ['new', 'open', 'open'],
    ['new', 'wait_on_customer', 'pending'],
    ['new', 'close', 'closed'],
    ['open', 'wait_on_customer', 'pending'],
    ['open', 'hold', 'on_hold'],
    ['open', 'resolve', 'resolved'],
    ['pending', 'resume', 'open'],
    ['on_hold', 'resume', 'open'],
    ['resolved', 'reopen', 'open'],
    ['resolved', 'close', 'closed'],
    ['closed', 'reopen', 'open'],
  ];

  it.each(legal)('moves a %s case on %s to %s', (from, event, to) => {
    const clock = new FakeClock();

    const moved = transition(aCase({ status: from }), event, clock);

    expect(moved.status).toBe(to);
    expect(moved.statusChangedAt).toBe(new Date(clock.now()).toISOString());
  });

  it('rejects every move the lifecycle does not list', () => {
    const clock = new FakeClock();
    const illegal: string[] = [];

    for (const from of STATUSES) {
      for (const event of CASE_EVENTS) {
        if (nextStatus(from, event)) continue;
        expect(() => transition(aCase({ status: from }), event, clock)).toThrow(IllegalTransitionError);
        illegal.push(`${from}:${event}`);
      }
    }

    expect(illegal).toContain('closed:open');
    expect(illegal).toContain('closed:resume');
    expect(illegal).toContain('new:resume');
  });

  it('stamps resolution and closure, and clears them on reopen while counting it', () => {
    const clock = new FakeClock();
    const resolved = transition(aCase({ status: 'open' }), 'resolve', clock);
    clock.advance(60_000);
    const closed = transition(resolved, 'close', clock);
    clock.advance(60_000);

    const reopened = transition(closed, 'reopen', clock);

    expect(resolved.resolvedAt).not.toBeNull();
    expect(closed.closedAt).not.toBeNull();
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null, reopenCount: 1 });
  });

  it('leaves the input case untouched', () => {
    const original = aCase({ status: 'open' });

    transition(original, 'resolve', new FakeClock());

    expect(original.status).toBe('open');
  });
});

describe('eventForStatusChange', () => {
  it('finds the one event behind a requested status', () => {
    expect(eventForStatusChange('new', 'open')).toBe('open');
    expect(eventForStatusChange('pending', 'open')).toBe('resume');
    expect(eventForStatusChange('resolved', 'open')).toBe('reopen');
  });

  it('never reopens a closed case unless reopen is asked for by name', () => {
    expect(eventForStatusChange('closed', 'open')).toBeNull();
    expect(eventForStatusChange('closed', 'open', true)).toBe('reopen');
  });

  it('has no event for a move the lifecycle forbids', () => {
    expect(eventForStatusChange('closed', 'pending', true)).toBeNull();
    expect(eventForStatusChange('resolved', 'on_hold')).toBeNull();
  });
});
