import { describe, expect, it } from 'vitest';
import { evaluateClock } from '#sla/domain/evaluate-clock';
import type { CaseSla } from '#sla/domain/sla-clock';
import type { Milestone } from '#sla/domain/sla-policy';
import { relaySlaChange } from '#sla/use-cases/relay-sla-change';
import { CaseStory, clockOf, ms, SLA_SETTINGS, slaConfig, slaDeps } from '../../support/sla-fakes.js';

/** The record after the timer of `milestone` evaluated it at `at`; fails when it recorded nothing. */
function evaluated(record: CaseSla, milestone: Milestone, at: string): CaseSla {
  const clock = clockOf(record, milestone);
  const evaluation = evaluateClock(
    record,
    { caseId: record.caseId, milestone, cycle: clock.cycle, generation: clock.generation },
    ms(at),
    slaConfig(),
    SLA_SETTINGS,
  );
  if (evaluation.kind === 'stale' || !evaluation.record) throw new Error(`nothing recorded at ${at}`);
  return evaluation.record;
}

function tracked(overrides: ConstructorParameters<typeof CaseStory>[0] = {}) {
  const story = new CaseStory(overrides);
  story.track();
  return story;
}

describe('relaySlaChange', () => {
  it('starts a timer per clock of a new record, named after its generation', async () => {
    const { deps, timers, events } = slaDeps();
    const after = tracked().record!;

    const result = await relaySlaChange(deps, { before: null, after });

    expect(timers.started).toEqual([
      {
        name: 'case-1-fr-1-1',
        input: { caseId: 'case-1', milestone: 'first_response', cycle: 1, generation: 1, wakeAt: '2026-11-23T14:24:00.000Z' },
      },
      {
        name: 'case-1-res-1-1',
        input: { caseId: 'case-1', milestone: 'resolution', cycle: 1, generation: 1, wakeAt: clockOf(after, 'resolution').wakeAt! },
      },
    ]);
    expect(timers.stopped).toEqual([]);
    expect(events.batches).toEqual([]);
    expect(result).toEqual({ started: 2, stopped: 0, events: 0 });
  });

  it('on a pause stops the old generation’s timers and starts none (nothing to wait for)', async () => {
    const { deps, timers } = slaDeps();
    const story = tracked();
    const before = story.record!;
    const after = story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').track()!;

    await relaySlaChange(deps, { before, after });

    expect(timers.started).toEqual([]);
    expect(timers.stopped).toEqual(['case-1-fr-1-1', 'case-1-res-1-1']);
  });

  it('on a resume starts the new generation’s timers; the paused generation had none to stop', async () => {
    const { deps, timers } = slaDeps();
    const story = tracked();
    story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').track();
    const before = story.record!;
    const after = story.event('2026-11-24T09:00:00.000Z', 'resume').track()!;

    await relaySlaChange(deps, { before, after });

    expect(timers.started.map((timer) => [timer.name, timer.input.wakeAt])).toEqual([
      ['case-1-fr-1-3', '2026-11-24T14:24:00.000Z'],
      ['case-1-res-1-3', clockOf(after, 'resolution').wakeAt],
    ]);
    expect(timers.stopped).toEqual([]);
  });

  it('a redelivered change starts the same timers again, never one of another name, and publishes nothing twice', async () => {
    const { deps, timers, events } = slaDeps();
    const story = tracked();
    const before = story.record!;
    const after = story.update('2026-11-23T08:20:00.000Z', { priority: 'urgent' }).track()!;

    await relaySlaChange(deps, { before, after });
    const firstNames = timers.started.map((timer) => timer.name);
    await relaySlaChange(deps, { before, after });

    expect(firstNames).toEqual(['case-1-fr-1-2', 'case-1-res-1-2']);
    expect(timers.stopped).toEqual(['case-1-fr-1-1', 'case-1-res-1-1', 'case-1-fr-1-1', 'case-1-res-1-1']);
    expect(timers.started.map((timer) => timer.name)).toEqual([...firstNames, ...firstNames]);
    expect(timers.started.slice(2).map((timer) => timer.input)).toEqual(timers.started.slice(0, 2).map((timer) => timer.input));
    expect(events.events).toEqual([]);
  });

  it('a change that moves no clock starts and stops nothing', async () => {
    const { deps, timers } = slaDeps();
    const story = tracked();
    const before = story.record!;
    const after = story.event('2026-11-23T08:30:00.000Z', 'open').track()!;

    const result = await relaySlaChange(deps, { before, after });

    expect(after.clocks).toEqual(before.clocks);
    expect(result).toEqual({ started: 0, stopped: 0, events: 0 });
    expect(timers.started).toEqual([]);
    expect(timers.stopped).toEqual([]);
  });

  it('publishes sla.warning once when the warning is newly recorded, without touching the timers', async () => {
    const { deps, timers, events } = slaDeps();
    const before = tracked().record!;
    const after = evaluated(before, 'first_response', '2026-11-23T14:24:00.000Z');

    await relaySlaChange(deps, { before, after });
    await relaySlaChange(deps, { before: after, after: { ...after, version: after.version + 1 } });

    expect(events.events).toEqual([
      {
        type: 'sla.warning',
        caseId: 'case-1',
        caseNumber: 'CS-000001',
        queue: 'customers',
        priority: 'normal',
        milestone: 'first_response',
        cycle: 1,
        policy: 'standard',
        dueAt: '2026-11-23T16:00:00.000Z',
        at: '2026-11-23T14:24:00.000Z',
      },
    ]);
    expect(timers.started).toEqual([]);
    expect(timers.stopped).toEqual([]);
  });

  it('publishes sla.breached level 1 at the breach (no warning beside it), then level 2 at the second level', async () => {
    const { deps, events } = slaDeps();
    const initial = tracked({ priority: 'urgent' }).record!;
    const breached = evaluated(initial, 'first_response', '2026-11-23T08:45:00.000Z');
    const second = evaluated(breached, 'first_response', '2026-11-23T09:30:00.000Z');

    await relaySlaChange(deps, { before: initial, after: breached });
    await relaySlaChange(deps, { before: breached, after: second });

    expect(events.events.map((event) => [event.type, event.level, event.at, event.policy])).toEqual([
      ['sla.breached', 1, '2026-11-23T08:30:00.000Z', 'urgent'],
      ['sla.breached', 2, '2026-11-23T09:30:00.000Z', 'urgent'],
    ]);
  });

  it('publishes sla.met for a clock met in time, and stops its timer', async () => {
    const { deps, timers, events } = slaDeps();
    const story = tracked();
    const before = story.record!;
    const after = story.reply('2026-11-23T09:00:00.000Z').track()!;

    await relaySlaChange(deps, { before, after });

    expect(events.events.map((event) => [event.type, event.milestone, event.at, event.level])).toEqual([
      ['sla.met', 'first_response', '2026-11-23T09:00:00.000Z', undefined],
    ]);
    expect(timers.stopped).toEqual(['case-1-fr-1-1']);
    expect(timers.started).toEqual([]);
  });

  it('publishes sla.breached level 0 (and no sla.met) for a clock met after its target', async () => {
    const { deps, events } = slaDeps();
    const story = tracked();
    const before = story.record!;
    const after = story.reply('2026-11-23T17:00:00.000Z').track()!;

    await relaySlaChange(deps, { before, after });

    expect(events.events.map((event) => [event.type, event.milestone, event.at, event.level])).toEqual([
      ['sla.breached', 'first_response', '2026-11-23T16:00:00.000Z', 0],
    ]);
  });

  it('publishes nothing when a clock already breached and escalated is met', async () => {
    const { deps, events } = slaDeps();
    const story = tracked();
    story.record = evaluated(story.record!, 'first_response', '2026-11-23T16:00:00.000Z');
    const before = story.record;
    const after = story.reply('2026-11-23T17:00:00.000Z').track()!;

    await relaySlaChange(deps, { before, after });

    expect(events.events).toEqual([]);
  });

  it('a next-response cycle retired into the history: its timer stops and sla.met is published; the next cycle gets its own timer', async () => {
    const { deps, timers, events } = slaDeps();
    const story = tracked();
    story.reply('2026-11-23T09:00:00.000Z').track();
    const beforeMessage = story.record!;
    const cycle1 = story.customerMessage('2026-11-23T10:00:00.000Z').track()!;
    const answered = story.reply('2026-11-23T11:00:00.000Z').track()!;
    const cycle2 = story.customerMessage('2026-11-23T12:00:00.000Z').track()!;

    await relaySlaChange(deps, { before: beforeMessage, after: cycle1 });
    await relaySlaChange(deps, { before: cycle1, after: answered });
    await relaySlaChange(deps, { before: answered, after: cycle2 });

    expect(timers.started.map((timer) => timer.name)).toEqual(['case-1-nr-1-1', 'case-1-nr-2-1']);
    expect(timers.stopped).toEqual(['case-1-nr-1-1']);
    expect(events.events.map((event) => [event.type, event.milestone, event.cycle, event.at])).toEqual([
      ['sla.met', 'next_response', 1, '2026-11-23T11:00:00.000Z'],
    ]);
  });
});
