import { describe, expect, it } from 'vitest';
import type { Case } from '#cases/domain/case';
import type { TimerTurn } from '#sla/domain/evaluate-clock';
import { evaluateSla } from '#sla/use-cases/evaluate-sla';
import { anAgent } from '../../support/routing-builders.js';
import { CaseStory, clockOf, slaDeps } from '../../support/sla-fakes.js';

/**
 * A normal case of `customers`, opened and assigned to agent-07, tracked from creation (Monday 09:00
 * Warsaw; first response due 16:00 UTC, warning at 14:24); the staff of the demo: a supervisor of
 * the escalations queue, one of `customers`, one of `marketplace`, and agents.
 */
function escalationScene(now: string, overrides: Partial<Case> = {}) {
  const env = slaDeps(now);
  const story = new CaseStory({ status: 'open', assigneeId: 'agent-07', ...overrides });
  const record = story.track()!;
  env.seed(story.current, record);
  for (const agent of [
    anAgent('agent-07', { pl: 9 }),
    anAgent('sup-escalations', {}, { roles: ['agents', 'supervisors'], queues: ['escalations'] }),
    anAgent('sup-customers', {}, { roles: ['supervisors'], queues: ['customers'] }),
    anAgent('sup-marketplace', {}, { roles: ['supervisors'], queues: ['marketplace'] }),
    anAgent('admin-1', {}, { roles: ['admins'], queues: [] }),
  ]) {
    env.agents.agents.set(agent.id, agent);
  }
  const clock = clockOf(record, 'first_response');
  const turn: TimerTurn = { caseId: 'case-1', milestone: 'first_response', cycle: clock.cycle, generation: clock.generation };
  return { ...env, story, record, turn };
}

const slaEntries = (scene: ReturnType<typeof escalationScene>) =>
  (scene.db.timeline.get('case-1') ?? []).filter((entry) => entry.action.startsWith('sla.'));

describe('evaluateSla', () => {
  it('on a breach escalates the case: priority up, to escalations, unassigned, flagged, with an audit entry and one notice to the supervisors', async () => {
    // Arrange
    const scene = escalationScene('2026-11-23T16:00:00.000Z');

    // Act
    const step = await evaluateSla(scene.deps, scene.turn);

    // Assess: the standard policy has no second level.
    expect(step).toEqual({ action: 'end', reason: 'nothing left to wait for' });
    const c = scene.db.cases.get('case-1')!;
    expect(c).toMatchObject({
      priority: 'high',
      queue: 'escalations',
      assigneeId: null,
      slaState: 'breached',
      version: scene.story.current.version + 1,
      updatedAt: '2026-11-23T16:00:00.000Z',
    });
    expect(slaEntries(scene)).toEqual([
      {
        id: expect.any(String),
        caseId: 'case-1',
        at: '2026-11-23T16:00:00.000Z',
        actor: { kind: 'system', id: 'sla' },
        action: 'sla.breached',
        changes: [
          { field: 'priority', before: 'normal', after: 'high' },
          { field: 'queue', before: 'customers', after: 'escalations' },
          { field: 'assigneeId', before: 'agent-07', after: null },
        ],
        data: { milestone: 'first_response', level: 1, breachedAt: '2026-11-23T16:00:00.000Z', previousAssignee: 'agent-07' },
      },
    ]);
    const messages = scene.db.messages.get('case-1') ?? [];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: 'notification',
      direction: 'outbound',
      to: ['sup-escalations@switchboard.local', 'sup-customers@switchboard.local'],
      from: 'support@switchboard.local',
      subject: '[CS-000001] SLA breached: first response — Subject',
      delivery: { status: 'queued' },
    });
    expect(messages[0]?.text).toContain('Previous assignee: agent-07');
    const record = await scene.sla.getSla('case-1');
    expect(clockOf(record, 'first_response')).toMatchObject({ breachedAt: '2026-11-23T16:00:00.000Z', escalationLevel: 1 });
    expect(record?.atRisk?.state).toBe('breached');
  });

  it('running the same turn twice escalates once', async () => {
    const scene = escalationScene('2026-11-23T16:00:00.000Z');

    await evaluateSla(scene.deps, scene.turn);
    const again = await evaluateSla(scene.deps, scene.turn);

    expect(again.action).toBe('end');
    expect(scene.db.cases.get('case-1')).toMatchObject({ priority: 'high', version: scene.story.current.version + 1 });
    expect(slaEntries(scene)).toHaveLength(1);
    expect(scene.db.messages.get('case-1')).toHaveLength(1);
    expect(scene.sla.calls.commits).toBe(1);
  });

  it('retries when the case changed between the read and the commit, and still escalates once', async () => {
    // Arrange: an agent tags the case just before the evaluator's commit.
    const scene = escalationScene('2026-11-23T16:00:00.000Z');
    let rivals = 0;
    scene.sla.beforeCommit = () => {
      if (rivals++ > 0) return;
      const c = scene.db.cases.get('case-1')!;
      scene.db.cases.set('case-1', { ...c, tags: ['parcel'], version: c.version + 1 });
    };

    // Act
    await evaluateSla(scene.deps, scene.turn);

    // Assess: the failed attempt wrote nothing; the retry escalated over the agent's change.
    expect(scene.sla.calls.commits).toBe(2);
    expect(scene.db.cases.get('case-1')).toMatchObject({
      tags: ['parcel'],
      priority: 'high',
      queue: 'escalations',
      version: scene.story.current.version + 2,
    });
    expect(slaEntries(scene)).toHaveLength(1);
    expect(scene.db.messages.get('case-1')).toHaveLength(1);
    expect(clockOf(await scene.sla.getSla('case-1'), 'first_response').escalationLevel).toBe(1);
  });

  it('on a warning flags the case and waits for the target, without escalating or notifying', async () => {
    const scene = escalationScene('2026-11-23T14:24:00.000Z');

    const step = await evaluateSla(scene.deps, scene.turn);

    expect(step).toEqual({ action: 'wait', wakeAt: '2026-11-23T16:00:00.000Z' });
    expect(scene.db.cases.get('case-1')).toMatchObject({
      slaState: 'warning',
      priority: 'normal',
      queue: 'customers',
      assigneeId: 'agent-07',
    });
    expect(slaEntries(scene).map((entry) => [entry.action, entry.changes, entry.data])).toEqual([
      ['sla.warning', [], { milestone: 'first_response', warnedAt: '2026-11-23T14:24:00.000Z', dueAt: '2026-11-23T16:00:00.000Z' }],
    ]);
    expect(scene.db.messages.get('case-1') ?? []).toEqual([]);
  });

  it('before a threshold only waits, writing nothing', async () => {
    const scene = escalationScene('2026-11-23T10:00:00.000Z');

    const step = await evaluateSla(scene.deps, scene.turn);

    expect(step).toEqual({ action: 'wait', wakeAt: '2026-11-23T14:24:00.000Z' });
    expect(scene.sla.calls.commits).toBe(0);
  });

  it('ends a stale timer without writing', async () => {
    const scene = escalationScene('2026-11-23T16:00:00.000Z');

    const step = await evaluateSla(scene.deps, { ...scene.turn, generation: scene.turn.generation + 1 });

    expect(step.action).toBe('end');
    expect(scene.sla.calls.commits).toBe(0);
    expect(scene.db.cases.get('case-1')?.priority).toBe('normal');
  });

  it('at the second level raises the priority again, keeps the queue, and notifies again', async () => {
    // Arrange: urgent first response, due 08:30, second level at 09:30; breached at 08:30 already.
    const scene = escalationScene('2026-11-23T08:30:00.000Z', { priority: 'high' });
    const raised = scene.story.update('2026-11-23T08:00:00.000Z', { priority: 'urgent' });
    const record = raised.track()!;
    scene.seed(raised.current, record);
    const clock = clockOf(record, 'first_response');
    const turn: TimerTurn = { caseId: 'case-1', milestone: 'first_response', cycle: clock.cycle, generation: clock.generation };
    const first = await evaluateSla(scene.deps, turn);
    scene.clock.advance(60 * 60_000);

    // Act
    const second = await evaluateSla(scene.deps, turn);

    // Assess
    expect(first).toEqual({ action: 'wait', wakeAt: '2026-11-23T09:30:00.000Z' });
    expect(second).toEqual({ action: 'end', reason: 'nothing left to wait for' });
    expect(slaEntries(scene).map((entry) => [entry.action, entry.changes])).toEqual([
      [
        'sla.breached',
        [
          { field: 'queue', before: 'customers', after: 'escalations' },
          { field: 'assigneeId', before: 'agent-07', after: null },
        ],
      ],
      ['sla.escalated', []],
    ]);
    // Urgent is the top: a raise stays urgent.
    expect(scene.db.cases.get('case-1')).toMatchObject({ priority: 'urgent', queue: 'escalations' });
    const subjects = (scene.db.messages.get('case-1') ?? []).map((message) => message.subject);
    expect(subjects).toEqual([
      '[CS-000001] SLA breached: first response — Subject',
      '[CS-000001] SLA breached (level 2): first response — Subject',
    ]);
  });

  it('notifies the admins when no supervisor serves the case’s queues', async () => {
    const scene = escalationScene('2026-11-23T16:00:00.000Z');
    scene.agents.agents.delete('sup-escalations');
    scene.agents.agents.delete('sup-customers');

    await evaluateSla(scene.deps, scene.turn);

    expect(scene.db.messages.get('case-1')?.[0]?.to).toEqual(['admin-1@switchboard.local']);
  });
});
