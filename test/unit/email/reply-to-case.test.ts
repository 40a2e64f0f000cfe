import { describe, expect, it } from 'vitest';
import { BusinessRuleError } from '#platform/domain/errors';
import { replyToCase } from '#email/use-cases/reply-to-case';
import { InMemoryMailStore } from '../../support/memory/in-memory-mail-store.js';
import { aCase, agentActor, aMessage, memoryDeps } from '../../support/builders.js';
import { DEMO_MAIL_SETTINGS } from '../../support/demo-settings.js';

/** A case of Anna's on which Jan, a participant, wrote last. */
function scene() {
  const base = memoryDeps();
  const deps = { ...base, mail: new InMemoryMailStore(base.db, () => base.clock.now()), mailSettings: DEMO_MAIL_SETTINGS };
  base.db.cases.set('case-1', aCase({ participants: ['anna@example.pl', 'jan@example.pl'] }));
  base.db.timeline.set('case-1', []);
  base.db.messages.set('case-1', [
    aMessage({ id: 'm1', from: 'anna@example.pl', messageId: '<m1@example.pl>' }),
    aMessage({ id: 'm2', from: 'jan@example.pl', messageId: '<m2@example.pl>', createdAt: '2026-11-23T08:30:00.000Z' }),
  ]);
  return { deps, db: base.db };
}

describe('replyToCase: who the reply goes to', () => {
  it('goes to the case’s customer by default, not to whoever wrote last, still quoting the last message', async () => {
    const { deps } = scene();

    const reply = await replyToCase(deps, { caseId: 'case-1', body: 'We are on it.' }, agentActor);

    expect(reply.to).toEqual(['anna@example.pl']);
    expect(reply.inReplyTo).toEqual(['<m2@example.pl>']);
  });

  it('goes to the participant the agent chose', async () => {
    const { deps } = scene();

    const reply = await replyToCase(
      deps,
      { caseId: 'case-1', body: 'Jan, see attached.', to: 'Jan@Example.pl', cc: ['anna@example.pl'] },
      agentActor,
    );

    expect(reply.to).toEqual(['jan@example.pl']);
    expect(reply.cc).toEqual(['anna@example.pl']);
  });

  it('refuses an address that is not one of the case’s participants, queueing nothing', async () => {
    const { deps, db } = scene();

    await expect(replyToCase(deps, { caseId: 'case-1', body: 'Hi', to: 'eve@evil.example' }, agentActor)).rejects.toThrow(
      BusinessRuleError,
    );
    expect(db.messages.get('case-1')).toHaveLength(2);
  });
});
