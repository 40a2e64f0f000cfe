import { describe, expect, it } from 'vitest';
import { type ClockEvaluation, evaluateClock, type TimerTurn } from '#sla/domain/evaluate-clock';
import type { CaseSla } from '#sla/domain/sla-clock';
import type { Milestone } from '#sla/domain/sla-policy';
import { CaseStory, clockOf, ms, SLA_SETTINGS, slaConfig } from '../../support/sla-fakes.js';

const config = slaConfig();

/** The record of a new case (created Monday 09:00 Warsaw) with the given fields. */
function recordOf(overrides: ConstructorParameters<typeof CaseStory>[0] = {}): CaseSla {
  const story = new CaseStory(overrides);
  const record = story.track();
  if (!record) throw new Error('expected a record');
  return record;
}

/** The turn of the current timer of a milestone. */
function turnOf(record: CaseSla, milestone: Milestone = 'first_response'): TimerTurn {
  const clock = clockOf(record, milestone);
  return { caseId: record.caseId, milestone, cycle: clock.cycle, generation: clock.generation };
}

function evaluate(record: CaseSla, at: string, turn: TimerTurn = turnOf(record)): ClockEvaluation {
  return evaluateClock(record, turn, ms(at), config, SLA_SETTINGS);
}

/** The record an evaluation wrote; fails the test when it wrote none. */
function written(evaluation: ClockEvaluation): CaseSla {
  if (evaluation.kind === 'stale' || !evaluation.record) throw new Error(`expected a written record, got ${JSON.stringify(evaluation)}`);
  return evaluation.record;
}

describe('evaluateClock', () => {
  it('before any threshold: waits until the next one and writes nothing', () => {
    const record = recordOf();

    const evaluation = evaluate(record, '2026-11-23T10:00:00.000Z');

    expect(evaluation).toEqual({ kind: 'wait', wakeAt: '2026-11-23T14:24:00.000Z', record: null, actions: [] });
  });

  it('warns once at the warning threshold, then waits for the target', () => {
    // Arrange: standard first response, 480 minutes, warning at 80 % (384 minutes: 14:24 UTC).
    const record = recordOf();

    // Act
    const first = evaluate(record, '2026-11-23T14:24:00.000Z');
    const again = evaluate(written(first), '2026-11-23T14:30:00.000Z');

    // Assess
    expect(first).toMatchObject({
      kind: 'wait',
      wakeAt: '2026-11-23T16:00:00.000Z',
      actions: [{ kind: 'warning', milestone: 'first_response', at: '2026-11-23T14:24:00.000Z', dueAt: '2026-11-23T16:00:00.000Z' }],
    });
    const warned = written(first);
    expect(warned.version).toBe(record.version + 1);
    expect(clockOf(warned, 'first_response')).toMatchObject({ warnedAt: '2026-11-23T14:24:00.000Z', breachedAt: null, generation: 1 });
    expect(warned.atRisk).toEqual({ state: 'warning', milestone: 'first_response', dueAt: '2026-11-23T16:00:00.000Z' });
    expect(again).toEqual({ kind: 'wait', wakeAt: '2026-11-23T16:00:00.000Z', record: null, actions: [] });
  });

  it('breaches once at the target: a second evaluation of the same generation does nothing new', () => {
    const warned = written(evaluate(recordOf(), '2026-11-23T14:24:00.000Z'));

    const breach = evaluate(warned, '2026-11-23T16:00:00.000Z');
    const again = evaluate(written(breach), '2026-11-23T16:05:00.000Z');

    // The standard policy has no second level: nothing left to wait for.
    expect(breach).toMatchObject({
      kind: 'done',
      actions: [{ kind: 'breach', milestone: 'first_response', level: 1, at: '2026-11-23T16:00:00.000Z' }],
    });
    const breached = written(breach);
    expect(clockOf(breached, 'first_response')).toMatchObject({
      breachedAt: '2026-11-23T16:00:00.000Z',
      escalationLevel: 1,
      wakeAt: null,
      metAt: null,
    });
    expect(breached.atRisk).toEqual({ state: 'breached', milestone: 'first_response', dueAt: '2026-11-23T16:00:00.000Z' });
    expect(again).toEqual({ kind: 'done', record: null, actions: [] });
  });

  it('a timer waking late past both thresholds breaches (recording the warning as passed) without a separate warning', () => {
    const record = recordOf();

    const evaluation = evaluate(record, '2026-11-23T17:00:00.000Z');

    expect(evaluation.kind !== 'stale' && evaluation.actions).toEqual([
      { kind: 'breach', milestone: 'first_response', level: 1, at: '2026-11-23T16:00:00.000Z' },
    ]);
    expect(clockOf(written(evaluation), 'first_response')).toMatchObject({
      warnedAt: '2026-11-23T14:24:00.000Z',
      breachedAt: '2026-11-23T16:00:00.000Z',
    });
  });

  it('escalates to the second level after the further delay, once', () => {
    // Arrange: urgent first response, 30 minutes (due 08:30), second level 60 minutes later (09:30).
    const record = recordOf({ priority: 'urgent' });
    const breached = written(evaluate(record, '2026-11-23T08:30:00.000Z'));

    // Act
    const early = evaluate(breached, '2026-11-23T09:00:00.000Z');
    const second = evaluate(breached, '2026-11-23T09:30:00.000Z');
    const again = evaluate(written(second), '2026-11-23T10:00:00.000Z');

    // Assess
    expect(clockOf(breached, 'first_response')).toMatchObject({ escalationLevel: 1, wakeAt: '2026-11-23T09:30:00.000Z' });
    expect(early).toEqual({ kind: 'wait', wakeAt: '2026-11-23T09:30:00.000Z', record: null, actions: [] });
    expect(second).toMatchObject({
      kind: 'done',
      actions: [{ kind: 'breach', milestone: 'first_response', level: 2, at: '2026-11-23T09:30:00.000Z' }],
    });
    expect(clockOf(written(second), 'first_response')).toMatchObject({ escalationLevel: 2, wakeAt: null });
    expect(again).toEqual({ kind: 'done', record: null, actions: [] });
  });

  it('tells a timer of an older generation or cycle that it is stale', () => {
    const story = new CaseStory();
    story.track();
    story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').track();
    const record = story.record!;
    const current = turnOf(record);

    const olderGeneration = evaluate(record, '2026-11-23T16:00:00.000Z', { ...current, generation: current.generation - 1 });
    const otherCycle = evaluate(record, '2026-11-23T16:00:00.000Z', { ...current, cycle: 2 });
    const noSuchClock = evaluate(record, '2026-11-23T16:00:00.000Z', { ...current, milestone: 'next_response' });

    expect(olderGeneration).toEqual({ kind: 'stale', reason: 'the clock moved on (cycle 1, generation 2)' });
    expect(otherCycle.kind).toBe('stale');
    expect(noSuchClock).toEqual({ kind: 'stale', reason: 'the case has no such clock' });
    expect(evaluateClock(null, current, ms('2026-11-23T16:00:00.000Z'), config, SLA_SETTINGS).kind).toBe('stale');
  });

  it('tells the timer of a met clock that it is stale, even with the met generation', () => {
    const story = new CaseStory();
    story.track();
    story.reply('2026-11-23T09:00:00.000Z').track();

    const evaluation = evaluate(story.record!, '2026-11-23T16:00:00.000Z');

    expect(evaluation).toEqual({ kind: 'stale', reason: 'the clock was met' });
  });

  it('a paused clock does not reach its thresholds: nothing to wait for', () => {
    const story = new CaseStory();
    story.track();
    story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').track();

    const evaluation = evaluate(story.record!, '2026-11-23T18:00:00.000Z');

    expect(evaluation).toEqual({ kind: 'done', record: null, actions: [] });
  });

  it('evaluates each milestone on its own: a resolution breach leaves first_response alone', () => {
    // Urgent: resolution 480 minutes, due 16:00; first response already met at 08:10.
    const story = new CaseStory({ priority: 'urgent' });
    story.track();
    story.reply('2026-11-23T08:10:00.000Z').track();

    const evaluation = evaluate(story.record!, '2026-11-23T16:00:00.000Z', turnOf(story.record!, 'resolution'));

    const record = written(evaluation);
    expect(clockOf(record, 'resolution').breachedAt).toBe('2026-11-23T16:00:00.000Z');
    expect(clockOf(record, 'first_response')).toEqual(clockOf(story.record, 'first_response'));
    expect(record.atRisk).toEqual({ state: 'breached', milestone: 'resolution', dueAt: '2026-11-23T16:00:00.000Z' });
  });

  it('under a time scale of 60 a 480-minute target lasts 480 business seconds', () => {
    const story = new CaseStory({}, config, { ...SLA_SETTINGS, timeScale: 60 });
    const record = story.track()!;

    const evaluation = evaluateClock(record, turnOf(record), ms('2026-11-23T08:08:00.000Z'), config, { ...SLA_SETTINGS, timeScale: 60 });

    expect(clockOf(record, 'first_response').dueAt).toBe('2026-11-23T08:08:00.000Z');
    expect(evaluation.kind !== 'stale' && evaluation.actions.map((action) => action.kind)).toEqual(['breach']);
  });
});
