import { describe, expect, it } from 'vitest';
import { advanceSla } from '#sla/domain/advance-sla';
import { evaluateClock } from '#sla/domain/evaluate-clock';
import { elapsedMs, executionNameOf, type MilestoneClock, stateOf } from '#sla/domain/sla-clock';
import type { Milestone } from '#sla/domain/sla-policy';
import { aCase } from '../../support/builders.js';
import { CaseStory, clockOf, CREATED_AT, editedPolicy, MINUTE_MS, ms, SLA_SETTINGS, slaConfig } from '../../support/sla-fakes.js';

const config = slaConfig();

/** Elapsed business minutes of a clock at an instant. */
const elapsedMinutes = (clock: MilestoneClock, at: string) => elapsedMs(clock, ms(at), config.lookup) / MINUTE_MS;

/** A new case, tracked once: its first record. */
function started(overrides: Parameters<typeof aCase>[0] = {}) {
  const story = new CaseStory(overrides);
  story.track();
  return story;
}

describe('advanceSla: a new case', () => {
  it('starts first_response and resolution under the standard policy on its queue’s calendar, and no next_response', () => {
    // Arrange: a normal case of a standard customer in `customers` (Warsaw customer service, Mon–Fri 08–20, Sat 09–15).
    const c = aCase();

    // Act
    const record = advanceSla(null, c, config, SLA_SETTINGS);

    // Assess
    expect(record).not.toBeNull();
    expect(record!.clocks.map((clock) => clock.milestone)).toEqual(['first_response', 'resolution']);
    expect(record!.version).toBe(1);
    expect(record!.caseVersion).toBe(1);
    expect(record!.atRisk).toBeNull();
    const firstResponse = clockOf(record, 'first_response');
    expect(firstResponse).toMatchObject({
      policy: 'standard',
      policyVersion: 0,
      targetMinutes: 480,
      cycle: 1,
      generation: 1,
      startedAt: CREATED_AT,
      warningAt: '2026-11-23T14:24:00.000Z',
      dueAt: '2026-11-23T16:00:00.000Z',
      wakeAt: '2026-11-23T14:24:00.000Z',
      secondLevelAt: null,
    });
    expect(firstResponse.segments).toEqual([
      {
        from: CREATED_AT,
        to: null,
        running: true,
        status: 'new',
        calendar: 'warsaw-customer-service',
        calendarVersion: 0,
        businessMs: null,
      },
    ]);
    expect(stateOf(firstResponse)).toBe('running');
    // 60 business hours: 11 h on Monday (08–19 UTC), 4 × 12 h Tuesday to Friday, 1 h of Saturday's 09:00–15:00 Warsaw.
    expect(clockOf(record, 'resolution')).toMatchObject({ targetMinutes: 3600, dueAt: '2026-11-28T09:00:00.000Z' });
  });

  it.each([
    [
      'a privacy request, on the 24/7 calendar whatever its queue',
      { category: 'privacy', queue: 'other' },
      'privacy-requests',
      '24x7',
      '2026-11-23T09:00:00.000Z',
      '2026-11-25T08:00:00.000Z',
    ],
    [
      'a privacy request that is also urgent (privacy ranks first)',
      { category: 'privacy', priority: 'urgent' as const },
      'privacy-requests',
      '24x7',
      '2026-11-23T09:00:00.000Z',
      '2026-11-25T08:00:00.000Z',
    ],
    [
      'an urgent case',
      { priority: 'urgent' as const },
      'urgent',
      'warsaw-customer-service',
      '2026-11-23T08:30:00.000Z',
      '2026-11-23T16:00:00.000Z',
    ],
    [
      'a VIP customer’s high-priority case (VIP ranks before high)',
      { priority: 'high' as const, customer: { ...aCase().customer, tier: 'vip' as const } },
      'vip',
      'warsaw-customer-service',
      '2026-11-23T09:00:00.000Z',
      // 16 business hours: 11 on Monday, 5 on Tuesday from 08:00 Warsaw (07:00 UTC).
      '2026-11-24T12:00:00.000Z',
    ],
    [
      'a normal case in `other` (Warsaw office hours, 7.5 h a day)',
      { queue: 'other' },
      'standard',
      'warsaw-office',
      // 450 minutes on Monday from 09:00 Warsaw, then Tuesday 09:00–09:30.
      '2026-11-24T08:30:00.000Z',
      // 3600 minutes = 8 office days: Monday to Friday, then Monday to Wednesday until 17:00 Warsaw.
      '2026-12-02T16:00:00.000Z',
    ],
  ])('%s runs under its policy', (_name, overrides, policy, calendar, firstResponseDue, resolutionDue) => {
    const record = advanceSla(null, aCase(overrides), config, SLA_SETTINGS);

    const firstResponse = clockOf(record, 'first_response');
    const resolution = clockOf(record, 'resolution');
    expect(firstResponse.policy).toBe(policy);
    expect(firstResponse.segments[0]?.calendar).toBe(calendar);
    expect(firstResponse.dueAt).toBe(firstResponseDue);
    expect(resolution.policy).toBe(policy);
    expect(resolution.dueAt).toBe(resolutionDue);
  });

  it('a case opened on a Friday evening in Warsaw is due on the next opening day', () => {
    // Arrange: Friday 2026-11-27 20:30 in Warsaw, after closing time of both calendars.
    const friday = '2026-11-27T19:30:00.000Z';
    const urgentCustomers = aCase({ priority: 'urgent', createdAt: friday, updatedAt: friday, statusChangedAt: friday });
    const urgentOffice = aCase({ priority: 'urgent', queue: 'other', createdAt: friday, updatedAt: friday, statusChangedAt: friday });

    // Act
    const customers = advanceSla(null, urgentCustomers, config, SLA_SETTINGS);
    const office = advanceSla(null, urgentOffice, config, SLA_SETTINGS);

    // Assess: customer service opens on Saturday 09:00 Warsaw; the office only on Monday 09:00 Warsaw.
    expect(clockOf(customers, 'first_response').dueAt).toBe('2026-11-28T08:30:00.000Z');
    expect(clockOf(office, 'first_response').dueAt).toBe('2026-11-30T08:30:00.000Z');
    // 8 business hours of the office: Monday 09–12 and 12:30–17 (7.5 h), then Tuesday 09:00–09:30.
    expect(clockOf(office, 'resolution').dueAt).toBe('2026-12-01T08:30:00.000Z');
  });

  it('a case no policy covers gets no clocks', () => {
    const onlyPrivacy = slaConfig({ policies: [editedPolicy('standard', { enabled: false })] });

    const record = advanceSla(null, aCase(), onlyPrivacy, SLA_SETTINGS);

    expect(record?.clocks).toEqual([]);
  });
});

describe('advanceSla: pausing and resuming', () => {
  it('pending pauses the clocks: the running segment closes, the due time is unknown while paused', () => {
    const story = started();

    story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').track();

    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse.segments).toEqual([
      {
        from: CREATED_AT,
        to: '2026-11-23T09:00:00.000Z',
        running: true,
        status: 'new',
        calendar: 'warsaw-customer-service',
        calendarVersion: 0,
        businessMs: 60 * MINUTE_MS,
      },
      {
        from: '2026-11-23T09:00:00.000Z',
        to: null,
        running: false,
        status: 'pending',
        calendar: 'warsaw-customer-service',
        calendarVersion: 0,
        businessMs: null,
      },
    ]);
    expect(firstResponse).toMatchObject({ generation: 2, warningAt: null, dueAt: null, wakeAt: null });
    expect(stateOf(firstResponse)).toBe('paused');
    expect(elapsedMinutes(firstResponse, '2026-11-23T20:00:00.000Z')).toBe(60);
    expect(clockOf(story.record, 'resolution').dueAt).toBeNull();
  });

  it('resuming continues with the elapsed time kept', () => {
    const story = started();
    story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').track();

    story.event('2026-11-24T09:00:00.000Z', 'resume').track();

    // 60 of 480 minutes were spent on Monday: 420 left from Tuesday 10:00 Warsaw.
    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse.segments.map((segment) => [segment.running, segment.from, segment.to])).toEqual([
      [true, CREATED_AT, '2026-11-23T09:00:00.000Z'],
      [false, '2026-11-23T09:00:00.000Z', '2026-11-24T09:00:00.000Z'],
      [true, '2026-11-24T09:00:00.000Z', null],
    ]);
    expect(firstResponse).toMatchObject({
      generation: 3,
      warningAt: '2026-11-24T14:24:00.000Z',
      dueAt: '2026-11-24T16:00:00.000Z',
      wakeAt: '2026-11-24T14:24:00.000Z',
    });
    expect(elapsedMinutes(firstResponse, '2026-11-24T10:00:00.000Z')).toBe(120);
  });

  it('a case paused past its wall-clock due time does not breach: after resuming it still has time left', () => {
    // Arrange: paused from 09:00 Monday until Tuesday 09:00, past Monday 16:00 when it would have been due.
    const story = started();
    const firstTimer = clockOf(story.record, 'first_response');
    story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').track();
    story.event('2026-11-24T09:00:00.000Z', 'resume').track();
    const resumed = clockOf(story.record, 'first_response');

    // Act: the first generation's timer wakes at Monday's due time; the current one is asked on Tuesday.
    const old = evaluateClock(
      story.record,
      { caseId: 'case-1', milestone: 'first_response', cycle: 1, generation: firstTimer.generation },
      ms('2026-11-23T16:00:00.000Z'),
      config,
      SLA_SETTINGS,
    );
    const now = evaluateClock(
      story.record,
      { caseId: 'case-1', milestone: 'first_response', cycle: 1, generation: resumed.generation },
      ms('2026-11-24T10:00:00.000Z'),
      config,
      SLA_SETTINGS,
    );

    // Assess
    expect(old.kind).toBe('stale');
    expect(now).toEqual({ kind: 'wait', wakeAt: '2026-11-24T14:24:00.000Z', record: null, actions: [] });
    expect(resumed.breachedAt).toBeNull();
  });

  it('on_hold keeps the clocks running under a policy that does not pause on hold', () => {
    const story = started();
    story.event('2026-11-23T08:30:00.000Z', 'open').track();
    const before = clockOf(story.record, 'first_response');

    const changed = story.event('2026-11-23T09:00:00.000Z', 'hold').track();

    // The record follows the case's status, but the clock neither splits nor moves to a new generation.
    expect(changed?.case.status).toBe('on_hold');
    expect(clockOf(story.record, 'first_response')).toEqual(before);
    expect(elapsedMinutes(clockOf(story.record, 'first_response'), '2026-11-23T10:00:00.000Z')).toBe(120);
  });

  it('on_hold pauses the clocks under a policy that pauses on hold', () => {
    const story = new CaseStory({}, slaConfig({ policies: [editedPolicy('standard', { pauseOnHold: true })] }));
    story.track();

    story.event('2026-11-23T09:00:00.000Z', 'hold').track();

    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse.policyVersion).toBe(1);
    expect(firstResponse.segments.at(-1)).toMatchObject({ from: '2026-11-23T09:00:00.000Z', running: false, status: 'on_hold' });
    expect(firstResponse.dueAt).toBeNull();
    expect(stateOf(firstResponse)).toBe('paused');
  });

  it('quarantine pauses the clocks and releasing them resumes', () => {
    const story = started({ status: 'quarantined' });
    expect(clockOf(story.record, 'first_response').segments[0]?.running).toBe(false);

    story.event('2026-11-23T10:00:00.000Z', 'release').track();

    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse.segments.at(-1)).toMatchObject({ from: '2026-11-23T10:00:00.000Z', running: true, status: 'new' });
    expect(firstResponse.dueAt).toBe('2026-11-23T18:00:00.000Z');
  });
});

describe('advanceSla: policy and calendar changes', () => {
  it('priority raised to urgent applies the urgent target to the time already elapsed', () => {
    const story = started();

    story.update('2026-11-23T08:20:00.000Z', { priority: 'urgent' }).track();

    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse).toMatchObject({
      policy: 'urgent',
      targetMinutes: 30,
      generation: 2,
      dueAt: '2026-11-23T08:30:00.000Z',
      secondLevelAt: '2026-11-23T09:30:00.000Z',
    });
    expect(firstResponse.segments).toHaveLength(1);
  });

  it('priority raised to urgent after its target passed: the due time lies in the past and an immediate evaluation breaches', () => {
    // Arrange: 45 minutes of a normal case elapsed, more than urgent's 30.
    const story = started();
    story.update('2026-11-23T08:45:00.000Z', { priority: 'urgent' }).track();
    const firstResponse = clockOf(story.record, 'first_response');

    // Act: the relay starts the new generation's timer, which wakes at once (its wake-up is past).
    const evaluation = evaluateClock(
      story.record,
      { caseId: 'case-1', milestone: 'first_response', cycle: 1, generation: firstResponse.generation },
      ms('2026-11-23T08:45:00.000Z'),
      config,
      SLA_SETTINGS,
    );

    // Assess
    expect(firstResponse.dueAt).toBe('2026-11-23T08:30:00.000Z');
    expect(firstResponse.wakeAt! < '2026-11-23T08:45:00.000Z').toBe(true);
    expect(evaluation.kind).toBe('wait');
    if (evaluation.kind === 'stale') return;
    expect(evaluation.actions).toEqual([{ kind: 'breach', milestone: 'first_response', level: 1, at: '2026-11-23T08:30:00.000Z' }]);
    expect(clockOf(evaluation.record, 'first_response')).toMatchObject({
      breachedAt: '2026-11-23T08:30:00.000Z',
      warnedAt: '2026-11-23T08:24:00.000Z',
      escalationLevel: 1,
    });
    expect(evaluation.record?.atRisk).toEqual({ state: 'breached', milestone: 'first_response', dueAt: '2026-11-23T08:30:00.000Z' });
    // Urgent escalates again 60 minutes after the target.
    expect(evaluation).toMatchObject({ wakeAt: '2026-11-23T09:30:00.000Z' });
  });

  it('a target change over time spent before a pause recomputes every threshold from the segments', () => {
    // Arrange: a high-priority case (120 min, warning at 96) runs 100 minutes, warns, then waits on the customer.
    const story = started({ priority: 'high' });
    const warned = evaluateClock(
      story.record,
      { caseId: 'case-1', milestone: 'first_response', cycle: 1, generation: 1 },
      ms('2026-11-23T09:36:00.000Z'),
      config,
      SLA_SETTINGS,
    );
    if (warned.kind === 'stale' || !warned.record) throw new Error('expected a warning');
    story.record = warned.record;
    story.event('2026-11-23T09:40:00.000Z', 'wait_on_customer').track();

    // Act: while paused, the priority is raised to urgent (30 min, warning at 24).
    story.update('2026-11-23T10:00:00.000Z', { priority: 'urgent' }).track();

    // Assess: both thresholds lie within the 100 minutes already spent, at their own instants.
    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse.warningAt).toBe('2026-11-23T08:24:00.000Z');
    expect(firstResponse.dueAt).toBe('2026-11-23T08:30:00.000Z');
    expect(firstResponse.wakeAt).toBe('2026-11-23T08:30:00.000Z');
  });

  it('a queue change to a queue with another calendar splits the segment', () => {
    const story = started();

    story.update('2026-11-23T10:00:00.000Z', { queue: 'other' }).track();

    // 120 minutes spent on the customer-service calendar; 360 left on the office's from 11:00 Warsaw:
    // 11:00–12:00 and 12:30–17:00 (330), then Tuesday 09:00–09:30.
    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse.segments).toEqual([
      {
        from: CREATED_AT,
        to: '2026-11-23T10:00:00.000Z',
        running: true,
        status: 'new',
        calendar: 'warsaw-customer-service',
        calendarVersion: 0,
        businessMs: 120 * MINUTE_MS,
      },
      {
        from: '2026-11-23T10:00:00.000Z',
        to: null,
        running: true,
        status: 'new',
        calendar: 'warsaw-office',
        calendarVersion: 0,
        businessMs: null,
      },
    ]);
    expect(firstResponse.generation).toBe(2);
    expect(firstResponse.dueAt).toBe('2026-11-24T08:30:00.000Z');
    expect(story.record?.case.queue).toBe('other');
  });

  it('a queue change on the same calendar keeps the segment and the generation', () => {
    const story = started();
    const before = clockOf(story.record, 'first_response');

    story.update('2026-11-23T10:00:00.000Z', { queue: 'stores' }).track();

    expect(clockOf(story.record, 'first_response')).toEqual(before);
  });
});

describe('advanceSla: meeting the milestones', () => {
  it('the first reply in time meets first_response', () => {
    const story = started();

    story.reply('2026-11-23T09:00:00.000Z').track();

    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse).toMatchObject({
      metAt: '2026-11-23T09:00:00.000Z',
      breachedAt: null,
      escalationLevel: 0,
      wakeAt: null,
      generation: 2,
    });
    expect(firstResponse.segments.at(-1)).toMatchObject({ to: '2026-11-23T09:00:00.000Z', businessMs: 60 * MINUTE_MS });
    expect(stateOf(firstResponse)).toBe('met');
    expect(clockOf(story.record, 'resolution').metAt).toBeNull();
    expect(story.record?.clocks.map((clock) => clock.milestone)).toEqual(['first_response', 'resolution']);
  });

  it('a first reply after the target meets first_response late: breached at the due time, nothing escalated', () => {
    const story = started();

    story.reply('2026-11-23T17:00:00.000Z').track();

    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse).toMatchObject({
      metAt: '2026-11-23T17:00:00.000Z',
      breachedAt: '2026-11-23T16:00:00.000Z',
      escalationLevel: 0,
      wakeAt: null,
    });
    expect(stateOf(firstResponse)).toBe('breached');
    // A met clock is no longer at risk.
    expect(story.record?.atRisk).toBeNull();
  });

  it('a customer message after the reply starts next_response cycle 1; the next reply meets it and retires it; another message starts cycle 2', () => {
    const story = started();
    story.reply('2026-11-23T09:00:00.000Z').track();

    story.customerMessage('2026-11-23T10:00:00.000Z').track();
    const cycle1 = clockOf(story.record, 'next_response');
    story.reply('2026-11-23T11:00:00.000Z').track();
    const afterReply = story.record;
    story.customerMessage('2026-11-23T12:00:00.000Z').track();

    expect(cycle1).toMatchObject({
      cycle: 1,
      generation: 1,
      startedAt: '2026-11-23T10:00:00.000Z',
      targetMinutes: 480,
      dueAt: '2026-11-23T18:00:00.000Z',
    });
    expect(afterReply?.clocks.map((clock) => clock.milestone)).toEqual(['first_response', 'resolution']);
    expect(afterReply?.history).toHaveLength(1);
    expect(afterReply?.history[0]).toMatchObject({
      milestone: 'next_response',
      cycle: 1,
      metAt: '2026-11-23T11:00:00.000Z',
      breachedAt: null,
      wakeAt: null,
    });
    const cycle2 = clockOf(story.record, 'next_response');
    // 420 minutes until closing at 20:00 Warsaw, the last 60 on Tuesday from 08:00 Warsaw.
    expect(cycle2).toMatchObject({ cycle: 2, startedAt: '2026-11-23T12:00:00.000Z', metAt: null, dueAt: '2026-11-24T08:00:00.000Z' });
    // Each cycle's timer has its own name, so the second is not mistaken for the first.
    expect(executionNameOf('case-1', cycle2)).not.toBe(executionNameOf('case-1', cycle1));
    expect(story.record?.history.map((clock) => clock.cycle)).toEqual([1]);
  });

  it('a second customer message before the reply keeps the cycle that the first one started', () => {
    const story = started();
    story.reply('2026-11-23T09:00:00.000Z').track();
    story.customerMessage('2026-11-23T10:00:00.000Z').track();
    const cycle1 = clockOf(story.record, 'next_response');

    story.customerMessage('2026-11-23T10:30:00.000Z').track();

    expect(clockOf(story.record, 'next_response')).toEqual(cycle1);
  });

  it('messages before the first reply start no next_response clock', () => {
    const story = started();

    story.customerMessage('2026-11-23T08:30:00.000Z').track();

    expect(story.record?.clocks.map((clock) => clock.milestone)).toEqual(['first_response', 'resolution']);
  });

  it('resolving meets resolution; reopening resumes it with the elapsed time kept, in a new generation and cycle', () => {
    // Arrange: replied at 09:00, resolved at 12:00 Monday (240 business minutes), reopened Tuesday 08:00.
    const story = started();
    story.reply('2026-11-23T09:00:00.000Z').track();
    story.event('2026-11-23T12:00:00.000Z', 'resolve').track();
    const resolved = clockOf(story.record, 'resolution');

    // Act
    story.event('2026-11-24T08:00:00.000Z', 'reopen').track();

    // Assess
    expect(resolved).toMatchObject({ metAt: '2026-11-23T12:00:00.000Z', wakeAt: null, breachedAt: null });
    expect(stateOf(resolved)).toBe('met');
    const reopened = clockOf(story.record, 'resolution');
    expect(reopened).toMatchObject({ cycle: 2, metAt: null, startedAt: CREATED_AT });
    expect(reopened.generation).toBeGreaterThan(resolved.generation);
    expect(reopened.segments.at(-1)).toMatchObject({ from: '2026-11-24T08:00:00.000Z', to: null, running: true, status: 'open' });
    expect(elapsedMinutes(reopened, '2026-11-24T08:00:00.000Z')).toBe(240);
    expect(elapsedMinutes(reopened, '2026-11-24T09:00:00.000Z')).toBe(300);
    // 3360 minutes left from Tuesday 09:00 Warsaw: 660 on Tuesday, 3 × 720 to Friday, 360 on Saturday, 180 on Monday.
    expect(reopened.dueAt).toBe('2026-11-30T10:00:00.000Z');
    expect(stateOf(reopened)).toBe('running');
    // The first response stays met.
    expect(clockOf(story.record, 'first_response').metAt).toBe('2026-11-23T09:00:00.000Z');
  });

  it('resolved without any reply: first_response stops, resolution is met', () => {
    const story = started();

    story.event('2026-11-23T10:00:00.000Z', 'resolve').track();

    const firstResponse = clockOf(story.record, 'first_response');
    expect(firstResponse).toMatchObject({
      stoppedAt: '2026-11-23T10:00:00.000Z',
      metAt: null,
      wakeAt: null,
      stopReason: 'the case ended without a reply to the customer',
    });
    expect(stateOf(firstResponse)).toBe('stopped');
    expect(clockOf(story.record, 'resolution').metAt).toBe('2026-11-23T10:00:00.000Z');
  });
});

describe('advanceSla: versions and generations', () => {
  it('returns null for a repeated or an older case version', () => {
    const story = started();
    const first = story.current;
    story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').track();

    expect(advanceSla(story.record, story.current, config, SLA_SETTINGS)).toBeNull();
    expect(advanceSla(story.record, first, config, SLA_SETTINGS)).toBeNull();
  });

  it('returns null for a new case version that changes nothing the record keeps', () => {
    const story = started();

    const result = story.update('2026-11-23T09:00:00.000Z', { tags: ['parcel'] }).track();

    expect(result).toBeNull();
  });

  it('moves a clock to a strictly higher generation at each change of its deadline, and only then', () => {
    // Steps: created, pending, resumed, priority high, queue with another calendar, reply, resolved, reopened.
    const story = started();
    story.event('2026-11-23T08:30:00.000Z', 'wait_on_customer').track();
    story.event('2026-11-23T09:00:00.000Z', 'resume').track();
    story.update('2026-11-23T09:10:00.000Z', { priority: 'high' }).track();
    story.update('2026-11-23T09:20:00.000Z', { queue: 'other' }).track();
    story.reply('2026-11-23T09:30:00.000Z').track();
    story.event('2026-11-23T10:00:00.000Z', 'resolve').track();
    story.event('2026-11-23T11:00:00.000Z', 'reopen').track();

    const generations = (milestone: Milestone) => story.records.map((record) => clockOf(record, milestone).generation);
    const strictlyIncreasing = (list: number[]) => list.every((value, index) => index === 0 || value > (list[index - 1] as number));
    // first_response: met at the reply (step 6), untouched afterwards.
    const firstResponse = generations('first_response');
    expect(strictlyIncreasing(firstResponse.slice(0, 6))).toBe(true);
    expect(firstResponse.slice(5)).toEqual([firstResponse[5], firstResponse[5], firstResponse[5]]);
    // resolution: every step but the reply moves its deadline.
    const resolution = generations('resolution');
    expect(resolution[5]).toBe(resolution[4]);
    expect(strictlyIncreasing(resolution.filter((_generation, index) => index !== 5))).toBe(true);
    expect(story.records.map((record) => record.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a case first seen after it changed counts the time before its last status change once', () => {
    // Arrange: created 08:00, opened at 09:00 (version 2); the tracker first sees version 2.
    const c = aCase({ status: 'open', version: 2, statusChangedAt: '2026-11-23T09:00:00.000Z', updatedAt: '2026-11-23T09:00:00.000Z' });

    // Act
    const record = advanceSla(null, c, config, SLA_SETTINGS);

    // Assess: two hours at 10:00, not three; due at 16:00 as if it had been tracked all along.
    const firstResponse = clockOf(record, 'first_response');
    expect(elapsedMinutes(firstResponse, '2026-11-23T10:00:00.000Z')).toBe(120);
    expect(firstResponse.dueAt).toBe('2026-11-23T16:00:00.000Z');
  });
});

describe('advanceSla: after a breach', () => {
  it('keeps the policy the clock breached under when the escalation raises the priority (no cascade into a second level)', () => {
    // Arrange: a standard case (first response due 16:00, no second level) breached by its timer.
    const story = started();
    const timer = clockOf(story.record, 'first_response');
    const evaluation = evaluateClock(
      story.record,
      { caseId: story.current.id, milestone: 'first_response', cycle: 1, generation: timer.generation },
      ms('2026-11-23T16:00:00.000Z'),
      config,
      SLA_SETTINGS,
    );
    expect(evaluation.kind).toBe('done');
    story.record = evaluation.kind === 'done' ? evaluation.record : null;

    // Act: the escalation raised the priority to high, whose policy has a second level 240 minutes after its 120.
    story.update('2026-11-23T16:00:01.000Z', { priority: 'high' }).track();

    // Assess: still the standard target, nothing left to wake for.
    expect(clockOf(story.record, 'first_response')).toMatchObject({
      policy: 'standard',
      targetMinutes: 480,
      escalationLevel: 1,
      secondLevelAt: null,
      wakeAt: null,
    });
    expect(clockOf(story.record, 'resolution').policy).toBe('high');
  });

  it('a resolution met late and then reopened never escalates for the breach nobody acted on', () => {
    // Arrange: a high case (resolution 1440 business minutes, second level +240) resolved a day late.
    const story = started({ priority: 'high' });
    story.event('2026-11-25T10:00:00.000Z', 'resolve').track();
    expect(clockOf(story.record, 'resolution')).toMatchObject({ escalationLevel: 0, metAt: '2026-11-25T10:00:00.000Z' });
    expect(clockOf(story.record, 'resolution').breachedAt).not.toBeNull();

    // Act
    story.event('2026-11-26T09:00:00.000Z', 'reopen').track();

    // Assess: running again, breached on record, no timer for a second level.
    const resolution = clockOf(story.record, 'resolution');
    expect(resolution).toMatchObject({ metAt: null, escalationLevel: 0, wakeAt: null });
    expect(stateOf(resolution)).toBe('breached');
  });
});
