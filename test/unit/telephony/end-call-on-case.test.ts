import { describe, expect, it } from 'vitest';
import { InMemoryCasesDb } from '../../support/memory/in-memory-cases-db.js';
import { needsAgent } from '#routing/domain/work-for-case';
import { endCallOnCase } from '#telephony/use-cases/end-call-on-case';
import { aCase } from '../../support/builders.js';
import { FakeClock, SequentialIds } from '../../support/fakes.js';

const ENDED_AT = '2026-11-23T10:05:00.000Z';
const CONNECTED_AT = '2026-11-23T10:01:00.000Z';

/** A phone case the contact flow opened for contact c-1, its call still going. */
function withCallCase() {
  const db = new InMemoryCasesDb();
  const c = aCase({ channel: 'phone', status: 'new', customFields: { connectContactId: 'c-1' }, connectCallInProgress: true });
  db.cases.set(c.id, c);
  db.timeline.set(c.id, []);
  const deps = { cases: db, clock: new FakeClock(Date.parse(ENDED_AT)), ids: new SequentialIds(), backoff: async () => undefined };
  return { db, c, deps };
}

describe('a call the contact flow gave a case', () => {
  it('keeps Switchboard’s router away while Connect routes the call', () => {
    const { c } = withCallCase();

    expect(needsAgent(c)).toBe(false);
    expect(needsAgent({ ...c, connectCallInProgress: false })).toBe(true);
  });

  it('ends with the case assigned to the agent who took the call, open, the call its first response', async () => {
    const { db, c, deps } = withCallCase();

    const outcome = await endCallOnCase(deps, { caseId: c.id, contactId: 'c-1', agentId: 'anna.nowak', connectedAt: CONNECTED_AT });
    const again = await endCallOnCase(deps, { caseId: c.id, contactId: 'c-1', agentId: 'anna.nowak', connectedAt: CONNECTED_AT });

    const after = db.cases.get(c.id)!;
    expect([outcome, again]).toEqual(['assigned', 'unchanged']);
    expect(after).toMatchObject({
      assigneeId: 'anna.nowak',
      status: 'open',
      firstResponseAt: CONNECTED_AT,
      awaitingResponseSince: null,
      version: c.version + 1,
      customFields: { connectContactId: 'c-1' },
      connectCallInProgress: false,
      metrics: { firstAssignedAt: CONNECTED_AT, firstAcceptedAt: CONNECTED_AT, lastResponseAt: CONNECTED_AT },
    });
    expect(needsAgent(after)).toBe(false);
    expect(db.timeline.get(c.id)?.map((entry) => entry.action)).toEqual(['call.ended']);
  });

  it('ends unanswered with the case left unassigned and routable again', async () => {
    const { db, c, deps } = withCallCase();

    const outcome = await endCallOnCase(deps, { caseId: c.id, contactId: 'c-1', agentId: null, connectedAt: null });

    const after = db.cases.get(c.id)!;
    expect(outcome).toBe('released');
    expect(after).toMatchObject({ assigneeId: null, status: 'new', firstResponseAt: null });
    expect(after.connectCallInProgress).toBe(false);
    expect(needsAgent(after)).toBe(true);
  });

  it('leaves an assigned case with its owner, and reads again when the case changed meanwhile', async () => {
    const { db, c, deps } = withCallCase();
    db.cases.set(c.id, { ...c, assigneeId: 'marta.piotrowska', status: 'open' });
    let rival = true;
    db.beforeCommit = () => {
      if (!rival) return;
      rival = false;
      const current = db.cases.get(c.id)!;
      db.cases.set(c.id, { ...current, version: current.version + 1, priority: 'high' });
    };

    const outcome = await endCallOnCase(deps, { caseId: c.id, contactId: 'c-1', agentId: 'anna.nowak', connectedAt: CONNECTED_AT });

    expect(outcome).toBe('released');
    expect(db.cases.get(c.id)).toMatchObject({ assigneeId: 'marta.piotrowska', priority: 'high', version: c.version + 2 });
  });
});
