import { describe, expect, it } from 'vitest';
import type { Case } from '#cases/domain/case';
import { ValidationError } from '#platform/domain/errors';
import { evaluateClock } from '#sla/domain/evaluate-clock';
import type { CaseSla } from '#sla/domain/sla-clock';
import { listAtRisk } from '#sla/use-cases/list-at-risk';
import { CaseStory, clockOf, ms, SLA_SETTINGS, slaConfig, slaDeps } from '../../support/sla-fakes.js';

/** The record of a new case after its first-response timer evaluated it at `at`. */
function recordAt(overrides: Partial<Case>, at: string): CaseSla {
  const record = new CaseStory(overrides).track()!;
  const clock = clockOf(record, 'first_response');
  const evaluation = evaluateClock(
    record,
    { caseId: record.caseId, milestone: 'first_response', cycle: 1, generation: clock.generation },
    ms(at),
    slaConfig(),
    SLA_SETTINGS,
  );
  if (evaluation.kind === 'stale') throw new Error('stale');
  return evaluation.record ?? record;
}

/**
 * At 08:40 UTC on Monday: an urgent case of `customers` breached at 08:30; a VIP case of `customers`
 * warned (due 09:00); an urgent case of `stores` created at 08:15, warned (due 08:45); a normal case
 * of `customers` not at risk.
 */
function atRiskScene() {
  const env = slaDeps('2026-11-23T08:40:00.000Z');
  const records = [
    recordAt({ id: 'case-breached', number: 'CS-000001', priority: 'urgent' }, '2026-11-23T08:40:00.000Z'),
    recordAt(
      { id: 'case-vip', number: 'CS-000002', customer: { id: 'c2', name: 'Ola', email: 'ola@example.pl', phone: null, tier: 'vip' } },
      '2026-11-23T08:50:00.000Z',
    ),
    recordAt(
      {
        id: 'case-stores',
        number: 'CS-000003',
        priority: 'urgent',
        queue: 'stores',
        createdAt: '2026-11-23T08:15:00.000Z',
        updatedAt: '2026-11-23T08:15:00.000Z',
        statusChangedAt: '2026-11-23T08:15:00.000Z',
      },
      '2026-11-23T08:40:00.000Z',
    ),
    recordAt({ id: 'case-calm', number: 'CS-000004' }, '2026-11-23T08:40:00.000Z'),
  ];
  for (const record of records) env.sla.records.set(record.caseId, record);
  return env;
}

describe('listAtRisk', () => {
  it('lists the cases at risk of every queue, the most urgent first: breached before warning', async () => {
    const { deps } = atRiskScene();

    const list = await listAtRisk(deps, {});

    expect(list.map((item) => [item.caseId, item.queue, item.state, item.milestone, item.dueAt, item.minutesToDue])).toEqual([
      ['case-breached', 'customers', 'breached', 'first_response', '2026-11-23T08:30:00.000Z', -10],
      ['case-stores', 'stores', 'warning', 'first_response', '2026-11-23T08:45:00.000Z', 5],
      ['case-vip', 'customers', 'warning', 'first_response', '2026-11-23T09:00:00.000Z', 20],
    ]);
    expect(list[0]).toMatchObject({ caseNumber: 'CS-000001', subject: 'Subject', priority: 'urgent', status: 'new', assigneeId: null });
  });

  it('lists one queue’s cases when asked', async () => {
    const { deps } = atRiskScene();

    const list = await listAtRisk(deps, { queue: 'customers' });

    expect(list.map((item) => item.caseId)).toEqual(['case-breached', 'case-vip']);
  });

  it('an empty list when nothing is at risk', async () => {
    const { deps } = slaDeps();

    expect(await listAtRisk(deps, { queue: 'escalations' })).toEqual([]);
  });

  it('refuses an unknown queue', async () => {
    const { deps } = atRiskScene();

    const error = await listAtRisk(deps, { queue: 'wholesale' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual([{ path: 'queue', message: "no queue named 'wholesale'" }]);
  });
});
