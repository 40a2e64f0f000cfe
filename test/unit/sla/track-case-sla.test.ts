import { describe, expect, it } from 'vitest';
import { ContentionError } from '#platform/domain/errors';
import { evaluateClock } from '#sla/domain/evaluate-clock';
import type { CaseSla } from '#sla/domain/sla-clock';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import { trackCaseSla } from '#sla/use-cases/track-case-sla';
import { CaseStory, clockOf, CREATED_AT, ms, SLA_SETTINGS, slaConfig, slaDeps } from '../../support/sla-fakes.js';

/** The record after the first-response timer warned at 14:24 (a rival write of the evaluator). */
function warnedRecord(record: CaseSla): CaseSla {
  const clock = clockOf(record, 'first_response');
  const evaluation = evaluateClock(
    record,
    { caseId: record.caseId, milestone: 'first_response', cycle: clock.cycle, generation: clock.generation },
    ms('2026-11-23T14:24:00.000Z'),
    slaConfig(),
    SLA_SETTINGS,
  );
  if (evaluation.kind === 'stale' || !evaluation.record) throw new Error('expected a warning');
  return evaluation.record;
}

describe('trackCaseSla', () => {
  it('writes the record of a new case, updates it on a later version, and leaves it alone on a repeat', async () => {
    // Arrange
    const env = slaDeps();
    const story = new CaseStory();
    env.seed(story.current);
    const created = story.current;

    // Act
    const first = await trackCaseSla(env.deps, { case: created });
    const paused = story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').current;
    const second = await trackCaseSla(env.deps, { case: paused });
    const repeat = await trackCaseSla(env.deps, { case: paused });
    const late = await trackCaseSla(env.deps, { case: created });

    // Assess
    expect([first, second, repeat, late]).toEqual(['started', 'updated', 'unchanged', 'unchanged']);
    const stored = await env.sla.getSla('case-1');
    expect(stored).toMatchObject({ caseId: 'case-1', caseVersion: 2, version: 2, case: { status: 'pending' } });
    expect(clockOf(stored, 'first_response').dueAt).toBeNull();
    expect(env.sla.calls.commits).toBe(2);
    // Nothing at risk: the case's flag is left alone.
    expect(env.sla.calls.flags).toBe(0);
  });

  it('retries on a concurrent write of the record and applies the case on top of it', async () => {
    // Arrange: the evaluator records the warning between the tracker's read and its write.
    const env = slaDeps();
    const story = new CaseStory();
    const initial = story.track()!;
    const paused = story.event('2026-11-23T14:30:00.000Z', 'wait_on_customer').current;
    env.seed(paused, initial);
    let rivals = 0;
    env.sla.beforeCommit = () => {
      if (rivals++ === 0) env.sla.records.set('case-1', warnedRecord(initial));
    };

    // Act
    const outcome = await trackCaseSla(env.deps, { case: paused });

    // Assess: two attempts; the stored record keeps the warning and has the pause.
    expect(outcome).toBe('updated');
    expect(env.sla.calls.commits).toBe(2);
    const stored = await env.sla.getSla('case-1');
    expect(stored?.version).toBe(3);
    const firstResponse = clockOf(stored, 'first_response');
    expect(firstResponse.warnedAt).toBe('2026-11-23T14:24:00.000Z');
    expect(firstResponse.segments.at(-1)).toMatchObject({ from: '2026-11-23T14:30:00.000Z', running: false, status: 'pending' });
    // The clock at risk is still open: the case is flagged.
    expect(stored?.atRisk?.state).toBe('warning');
    expect(env.db.cases.get('case-1')).toMatchObject({ slaState: 'warning', version: paused.version + 1 });
  });

  it('gives up with a ContentionError when the record keeps changing', async () => {
    const env = slaDeps();
    const story = new CaseStory();
    const initial = story.track()!;
    const paused = story.event('2026-11-23T09:00:00.000Z', 'wait_on_customer').current;
    env.seed(paused, initial);
    env.sla.beforeCommit = () => {
      const stored = env.sla.records.get('case-1')!;
      env.sla.records.set('case-1', { ...stored, version: stored.version + 1 });
    };

    await expect(trackCaseSla(env.deps, { case: paused })).rejects.toThrow(ContentionError);
    expect(env.sla.calls.commits).toBe(MAX_COMMIT_ATTEMPTS);
  });

  it('clears the case’s flag once the clock at risk is met', async () => {
    // Arrange: first response warned, the case flagged (version 2); the agent replies at 15:00 (version 3).
    const env = slaDeps();
    const story = new CaseStory();
    const warned = warnedRecord(story.track()!);
    story.update('2026-11-23T14:24:00.000Z', { slaState: 'warning' });
    const replied = story.reply('2026-11-23T15:00:00.000Z').current;
    env.seed(replied, warned);

    // Act
    const outcome = await trackCaseSla(env.deps, { case: replied });

    // Assess
    expect(outcome).toBe('updated');
    const stored = await env.sla.getSla('case-1');
    expect(clockOf(stored, 'first_response')).toMatchObject({
      metAt: '2026-11-23T15:00:00.000Z',
      warnedAt: '2026-11-23T14:24:00.000Z',
      breachedAt: null,
    });
    expect(stored?.atRisk).toBeNull();
    expect(env.db.cases.get('case-1')).toMatchObject({ slaState: null, version: replied.version + 1, updatedAt: replied.updatedAt });
  });

  it('does not flag a case that moved on meanwhile: its newer version comes through the stream', async () => {
    const env = slaDeps();
    const story = new CaseStory();
    const warned = warnedRecord(story.track()!);
    const paused = story.event('2026-11-23T14:30:00.000Z', 'wait_on_customer').current;
    const newer = { ...paused, version: paused.version + 1, tags: ['vip-complaint'] };
    env.seed(newer, warned);

    const outcome = await trackCaseSla(env.deps, { case: paused });

    expect(outcome).toBe('updated');
    expect(env.sla.calls.flags).toBe(1);
    expect(env.db.cases.get('case-1')).toMatchObject({ slaState: null, version: newer.version });
  });

  it('keeps the creation instant of the case as the clocks’ start', async () => {
    const env = slaDeps('2026-11-23T08:00:05.000Z');
    const story = new CaseStory();
    env.seed(story.current);

    await trackCaseSla(env.deps, { case: story.current });

    expect(clockOf(await env.sla.getSla('case-1'), 'first_response').startedAt).toBe(CREATED_AT);
  });
});
