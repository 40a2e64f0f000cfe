import { describe, expect, it } from 'vitest';
import type { CaseMessage } from '#cases/domain/case-message';
import { type CommitConflict } from '#platform/domain/commit-conflict';
import { CaseStory, slaDeps } from '../../support/sla-fakes.js';
import { DEMO_SLA_POLICIES } from '../../support/demo-settings.js';

const conflict = (reason: CommitConflict['reason']) => expect.objectContaining({ name: 'CommitConflict', reason });

function aNotice(id: string): CaseMessage {
  return {
    id,
    caseId: 'case-1',
    direction: 'outbound',
    channel: 'email',
    kind: 'notification',
    from: 'support@switchboard.local',
    fromName: null,
    to: ['sup@switchboard.local'],
    cc: [],
    subject: 'SLA breached',
    text: 'breached',
    textTruncated: false,
    messageId: `<${id}@switchboard.local>`,
    inReplyTo: [],
    references: [],
    attachments: [],
    rejectedAttachments: [],
    threading: { method: 'notification', confidence: 'high' },
    automation: null,
    rawKey: null,
    authorId: null,
    delivery: { status: 'queued', attempts: 0, leaseUntil: null, providerMessageId: null, error: null },
    createdAt: '2026-11-23T16:00:00.000Z',
  };
}

describe('InMemorySlaStore', () => {
  it('creates a record only when none exists, and replaces it only at the expected version', async () => {
    const { sla } = slaDeps();
    const record = new CaseStory().track()!;
    await sla.commitSla({ sla: record, expectedVersion: 0 });

    await expect(sla.commitSla({ sla: record, expectedVersion: 0 })).rejects.toEqual(conflict('version'));
    await expect(sla.commitSla({ sla: { ...record, version: 3 }, expectedVersion: 2 })).rejects.toEqual(conflict('version'));
    await sla.commitSla({ sla: { ...record, version: 2 }, expectedVersion: 1 });

    expect((await sla.getSla('case-1'))?.version).toBe(2);
  });

  it('writes nothing of a commit whose case moved on', async () => {
    // Arrange
    const env = slaDeps();
    const story = new CaseStory();
    const record = story.track()!;
    env.seed(story.current, record);
    const escalated = { ...story.current, priority: 'high' as const, version: 2 };

    // Act
    const attempt = env.sla.commitSla({
      sla: { ...record, version: 2 },
      expectedVersion: 1,
      caseChange: {
        case: escalated,
        expectedVersion: 5,
        timeline: [
          {
            id: 't1',
            caseId: 'case-1',
            at: story.current.createdAt,
            actor: { kind: 'system', id: 'sla' },
            action: 'sla.breached',
            changes: [],
          },
        ],
      },
      messages: [aNotice('m1')],
    });

    // Assess
    await expect(attempt).rejects.toEqual(conflict('version'));
    expect(env.sla.records.get('case-1')?.version).toBe(1);
    expect(env.db.cases.get('case-1')?.priority).toBe('normal');
    expect(env.db.timeline.get('case-1')).toEqual([]);
    expect(env.db.messages.get('case-1')).toBeUndefined();
  });

  it('writes the record, the case, its timeline and the messages together; a message stored before is a duplicate', async () => {
    const env = slaDeps();
    const story = new CaseStory();
    const record = story.track()!;
    env.seed(story.current, record);
    const escalated = { ...story.current, priority: 'high' as const, version: 2 };

    await env.sla.commitSla({
      sla: { ...record, version: 2 },
      expectedVersion: 1,
      caseChange: { case: escalated, expectedVersion: 1, timeline: [] },
      messages: [aNotice('m1')],
    });
    const again = env.sla.commitSla({ sla: { ...record, version: 3 }, expectedVersion: 2, messages: [aNotice('m1')] });

    expect(env.db.cases.get('case-1')).toMatchObject({ priority: 'high', version: 2 });
    expect(env.db.messages.get('case-1')?.map((message) => message.id)).toEqual(['m1']);
    await expect(again).rejects.toEqual(conflict('duplicate'));
    expect(env.sla.records.get('case-1')?.version).toBe(2);
  });

  it('sets the case flag only at the expected case version, leaving updatedAt alone', async () => {
    const env = slaDeps();
    const c = new CaseStory().current;
    env.seed(c);

    const stale = await env.sla.setCaseFlag('case-1', 'warning', 7);
    const set = await env.sla.setCaseFlag('case-1', 'warning', 1);

    expect([stale, set]).toEqual([false, true]);
    expect(env.db.cases.get('case-1')).toMatchObject({ slaState: 'warning', version: 2, updatedAt: c.updatedAt });
  });

  it('stores a configuration document only as the successor of the stored version', async () => {
    const { sla } = slaDeps();
    const value = DEMO_SLA_POLICIES[0]!;
    const version = (n: number) => ({ value, version: n, updatedAt: null, updatedBy: 'admin-1' });

    await expect(sla.putPolicy(version(2))).rejects.toEqual(conflict('version'));
    await sla.putPolicy(version(1));
    await expect(sla.putPolicy(version(1))).rejects.toEqual(conflict('version'));
    await sla.putPolicy(version(2));

    expect((await sla.readConfig()).policies.map((policy) => policy.version)).toEqual([2]);
  });

  it('lists a queue’s records at risk by due time, up to the limit', async () => {
    const { sla } = slaDeps();
    const base = new CaseStory().track()!;
    const atRisk = (caseId: string, queue: string, dueAt: string | null) => ({
      ...base,
      caseId,
      case: { ...base.case, queue },
      atRisk: dueAt === null ? null : { state: 'warning' as const, milestone: 'first_response' as const, dueAt },
    });
    for (const record of [
      atRisk('b', 'customers', '2026-11-23T12:00:00.000Z'),
      atRisk('a', 'customers', '2026-11-23T12:00:00.000Z'),
      atRisk('c', 'customers', '2026-11-23T11:00:00.000Z'),
      atRisk('d', 'stores', '2026-11-23T10:00:00.000Z'),
      atRisk('e', 'customers', null),
    ]) {
      sla.records.set(record.caseId, record);
    }

    expect((await sla.listAtRisk('customers', 10)).map((record) => record.caseId)).toEqual(['c', 'a', 'b']);
    expect((await sla.listAtRisk('customers', 2)).map((record) => record.caseId)).toEqual(['c', 'a']);
  });
});
