import { describe, expect, it } from 'vitest';
import { NotFoundError } from '#platform/domain/errors';
import { evaluateClock } from '#sla/domain/evaluate-clock';
import { getCaseSla } from '#sla/use-cases/get-case-sla';
import { CaseStory, clockOf, ms, SLA_SETTINGS, slaConfig, slaDeps } from '../../support/sla-fakes.js';

describe('getCaseSla', () => {
  it('shows each clock’s policy, state, elapsed and remaining business minutes at now', async () => {
    // Arrange: created Monday 09:00 Warsaw, viewed at 11:00 Warsaw.
    const env = slaDeps('2026-11-23T10:00:00.000Z');
    const story = new CaseStory();
    env.seed(story.current, story.track());

    // Act
    const view = await getCaseSla(env.deps, { caseId: 'case-1' });

    // Assess
    expect(view).toMatchObject({
      caseId: 'case-1',
      caseNumber: 'CS-000001',
      policy: { name: 'standard', version: 0 },
      calendar: 'warsaw-customer-service',
      slaState: null,
      atRisk: null,
      tracking: true,
      history: [],
      timeScale: 1,
    });
    expect(view.clocks.map((clock) => [clock.milestone, clock.state, clock.elapsedMinutes, clock.remainingMinutes, clock.dueAt])).toEqual([
      ['first_response', 'running', 120, 360, '2026-11-23T16:00:00.000Z'],
      ['resolution', 'running', 120, 3480, '2026-11-28T09:00:00.000Z'],
    ]);
    expect(view.clocks[0]?.segments).toEqual([
      {
        from: '2026-11-23T08:00:00.000Z',
        to: null,
        running: true,
        status: 'new',
        calendar: 'warsaw-customer-service',
        calendarVersion: 0,
        businessMinutes: 120,
      },
    ]);
    expect(view.metrics).toMatchObject({ secondsWithTeam: 7200, secondsWithCustomer: 0, firstResponseAt: null });
  });

  it('a paused clock stops counting; a met clock shows its figures at the meeting', async () => {
    // Arrange: replied and set pending at 09:30, viewed on Tuesday.
    const env = slaDeps('2026-11-24T12:00:00.000Z');
    const story = new CaseStory();
    story.track();
    story.reply('2026-11-23T09:30:00.000Z', { awaitCustomer: true }).track();
    env.seed(story.current, story.record);

    const view = await getCaseSla(env.deps, { caseId: 'case-1' });

    expect(view.clocks.map((clock) => [clock.milestone, clock.state, clock.elapsedMinutes, clock.remainingMinutes])).toEqual([
      ['first_response', 'met', 90, 390],
      ['resolution', 'paused', 90, 3510],
    ]);
    expect(view.clocks[1]?.segments.map((segment) => [segment.running, segment.businessMinutes])).toEqual([
      [true, 90],
      [false, 0],
    ]);
  });

  it('shows warning and breached states, and zero remaining past the target', async () => {
    const env = slaDeps('2026-11-23T17:00:00.000Z');
    const story = new CaseStory();
    const record = story.track()!;
    const clock = clockOf(record, 'first_response');
    const evaluation = evaluateClock(
      record,
      { caseId: 'case-1', milestone: 'first_response', cycle: 1, generation: clock.generation },
      ms('2026-11-23T16:00:00.000Z'),
      slaConfig(),
      SLA_SETTINGS,
    );
    if (evaluation.kind === 'stale' || !evaluation.record) throw new Error('expected a breach');
    env.seed({ ...story.current, slaState: 'breached' }, evaluation.record);

    const view = await getCaseSla(env.deps, { caseId: 'case-1' });

    expect(view.slaState).toBe('breached');
    expect(view.atRisk).toEqual({ state: 'breached', milestone: 'first_response', dueAt: '2026-11-23T16:00:00.000Z' });
    expect(view.clocks[0]).toMatchObject({ state: 'breached', elapsedMinutes: 540, remainingMinutes: 0, escalationLevel: 1 });
  });

  it('reports figures in the policy’s minutes under a demo time scale', async () => {
    // Arrange: time scale 60, so the 480-minute target lasts 480 s; two real minutes elapsed.
    const env = slaDeps('2026-11-23T08:02:00.000Z');
    const settings = { ...SLA_SETTINGS, timeScale: 60 };
    const story = new CaseStory({}, slaConfig(), settings);
    env.seed(story.current, story.track());

    const view = await getCaseSla({ ...env.deps, settings }, { caseId: 'case-1' });

    expect(view.timeScale).toBe(60);
    expect(view.clocks[0]).toMatchObject({
      targetMinutes: 480,
      elapsedMinutes: 120,
      remainingMinutes: 360,
      dueAt: '2026-11-23T08:08:00.000Z',
    });
  });

  it('a case the tracker has not seen yet: not tracking, no clocks', async () => {
    const env = slaDeps();
    env.seed(new CaseStory().current);

    const view = await getCaseSla(env.deps, { caseId: 'case-1' });

    expect(view).toMatchObject({ tracking: false, clocks: [], history: [], policy: { name: 'standard' } });
  });

  it('throws NotFoundError for an unknown case', async () => {
    const env = slaDeps();

    await expect(getCaseSla(env.deps, { caseId: 'nope' })).rejects.toThrow(NotFoundError);
  });
});
