import { describe, expect, it } from 'vitest';
import { InMemoryMergeStore } from '../../support/memory/in-memory-merge-store.js';
import { VersionConflictError } from '#platform/domain/errors';
import { cancelCallbacksOfCase } from '#telephony/use-cases/cancel-callbacks-of-case';
import { mergeCases } from '#cases/use-cases/merge-cases';
import { updateCase } from '#cases/use-cases/update-case';
import { aCase, supervisorActor } from '../../support/builders.js';
import { aCallback, callbackDeps } from '../../support/callback-fakes.js';
import { DEMO_CASE_SETTINGS } from '../../support/demo-settings.js';

/** The case use cases over the same in-memory tables as the callbacks, with callbacks ending with their case. */
function setup() {
  const world = callbackDeps();
  const c = world.seedCase(aCase({ status: 'open', channel: 'phone' }));
  const deps = {
    cases: world.db,
    customers: world.db,
    clock: world.clock,
    ids: world.deps.ids,
    secrets: world.deps.secrets,
    settings: DEMO_CASE_SETTINGS,
    backoff: async () => undefined,
    endings: cancelCallbacksOfCase({ callbacks: world.store, ids: world.deps.ids }),
  };
  return { ...world, c, caseDeps: deps };
}

describe('closing or resolving a case ends its callbacks in the same commit', () => {
  it.each(['resolved', 'closed'] as const)(
    'cancels an open callback when the case is %s, releases the number and notes it on the case',
    async (status) => {
      const { caseDeps, c, store, seedCallback, actionsOf } = setup();
      seedCallback(aCallback({ caseId: c.id }));

      await updateCase(caseDeps, { id: c.id, expectedVersion: c.version, changes: { status } }, supervisorActor);

      expect(store.callbacks.get('callback-1')).toMatchObject({
        status: 'cancelled',
        nextAttemptAt: null,
        version: 2,
        endReason: `case_closed: case ${c.number} was ${status} by supervisor-1`,
      });
      expect(store.guards.has(aCallback().phone)).toBe(false);
      expect(actionsOf(c.id)).toEqual(['case.updated', 'callback.cancelled']);
    },
  );

  it('leaves a callback being dialled to its outcome, and callbacks of other cases alone', async () => {
    const { caseDeps, c, store, seedCallback } = setup();
    seedCallback(aCallback({ caseId: c.id, status: 'dialling' }));
    seedCallback(aCallback({ id: 'callback-2', phone: '+48601000002', caseId: 'other-case' }));

    await updateCase(caseDeps, { id: c.id, expectedVersion: c.version, changes: { status: 'closed' } }, supervisorActor);

    expect(store.callbacks.get('callback-1')?.status).toBe('dialling');
    expect(store.callbacks.get('callback-2')?.status).toBe('open');
  });

  it('asks nothing of the callbacks for a change that does not end the case', async () => {
    const { caseDeps, c, store, seedCallback } = setup();
    seedCallback(aCallback({ caseId: c.id }));

    await updateCase(caseDeps, { id: c.id, expectedVersion: c.version, changes: { status: 'pending' } }, supervisorActor);

    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'open', version: 1 });
  });

  it('reads the callbacks again when one changed between the read and the commit', async () => {
    const { caseDeps, c, store, db, seedCallback } = setup();
    seedCallback(aCallback({ caseId: c.id }));
    // A second missed call of the number lands between our read of the callback and our commit.
    let rivals = 1;
    db.beforeCommit = () => {
      if (rivals-- > 0) store.callbacks.set('callback-1', { ...aCallback({ caseId: c.id }), missedCount: 2, version: 2 });
    };

    await updateCase(caseDeps, { id: c.id, expectedVersion: c.version, changes: { status: 'closed' } }, supervisorActor);

    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'cancelled', missedCount: 2, version: 3 });
    expect(db.cases.get(c.id)?.status).toBe('closed');
  });

  it('changes neither the case nor its callback when the case itself changed meanwhile', async () => {
    const { caseDeps, c, store, db, seedCallback } = setup();
    seedCallback(aCallback({ caseId: c.id }));
    db.beforeCommit = () => db.cases.set(c.id, { ...c, priority: 'high', version: c.version + 1 });

    const stale = updateCase(caseDeps, { id: c.id, expectedVersion: c.version, changes: { status: 'closed' } }, supervisorActor);

    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'open', version: 1 });
  });

  it('cancels the callbacks of a case merged into another (merging closes it)', async () => {
    const { caseDeps, c, store, seedCase, seedCallback } = setup();
    const target = seedCase(aCase({ id: 'case-2', number: 'CS-000002', status: 'open' }));
    seedCallback(aCallback({ caseId: c.id }));
    const merge = {
      ...caseDeps,
      merge: new InMemoryMergeStore(async (commit) => mergeCommit(caseDeps.cases, commit)),
      queue: { enqueue: async () => undefined },
    };

    await mergeCases(merge, { sourceId: c.id, targetId: target.id }, supervisorActor);

    expect(store.callbacks.get('callback-1')).toMatchObject({
      status: 'cancelled',
      endReason: `case_closed: case ${c.number} was closed by supervisor-1`,
    });
  });
});

/** The merge's commit on the in-memory tables: both cases at their versions, with the writes carried along. */
async function mergeCommit(db: ReturnType<typeof callbackDeps>['db'], commit: any): Promise<void> {
  await db.commitCaseChange({
    case: commit.source,
    expectedVersion: commit.sourceVersion,
    timeline: commit.timeline,
    alongside: commit.alongside,
  });
  await db.commitCaseChange({ case: commit.target, expectedVersion: commit.targetVersion, timeline: [] });
}
