import { describe, expect, it } from 'vitest';
import { ForbiddenError, IllegalTransitionError, NotFoundError, ValidationError, VersionConflictError } from '#platform/domain/errors';
import { addNote } from '#cases/use-cases/add-note';
import { getCase } from '#cases/use-cases/get-case';
import { getTimeline } from '#cases/use-cases/get-timeline';
import { openCase } from '#cases/use-cases/open-case';
import { updateCase } from '#cases/use-cases/update-case';
import type { CustomFieldValue } from '#cases/domain/case';
import { agentActor, memoryDeps, openCaseInput, supervisorActor } from '../../support/builders.js';

async function withCase() {
  const deps = memoryDeps();
  const created = await openCase(deps, openCaseInput({ customFields: { orderId: 'A-17' } }), agentActor);
  return { deps, created };
}

describe('updateCase', () => {
  it('changes status and fields, bumps the version and records before and after', async () => {
    const { deps, created } = await withCase();
    deps.clock.advance(5 * 60_000);

    const updated = await updateCase(
      deps,
      { id: created.id, expectedVersion: 1, changes: { status: 'open', priority: 'high', tags: ['vip'] } },
      agentActor,
    );

    expect(updated).toMatchObject({ status: 'open', priority: 'high', tags: ['vip'], version: 2 });
    expect(updated.updatedAt).not.toBe(created.updatedAt);
    const entry = deps.db.timeline.get(created.id)?.at(-1);
    expect(entry).toMatchObject({ action: 'case.updated', actor: { kind: 'user', id: 'agent-07' } });
    expect(entry?.changes).toEqual([
      { field: 'status', before: 'new', after: 'open' },
      { field: 'priority', before: 'normal', after: 'high' },
      { field: 'tags', before: [], after: ['vip'] },
    ]);
  });

  it('refuses a stale version and changes nothing', async () => {
    const { deps, created } = await withCase();
    await updateCase(deps, { id: created.id, expectedVersion: 1, changes: { priority: 'high' } }, agentActor);

    await expect(updateCase(deps, { id: created.id, expectedVersion: 1, changes: { priority: 'low' } }, agentActor)).rejects.toThrow(
      VersionConflictError,
    );
    expect(deps.db.cases.get(created.id)?.priority).toBe('high');
  });

  it('turns a lost race at commit time into a version conflict', async () => {
    const { deps, created } = await withCase();
    deps.db.beforeCommit = () => {
      const stored = deps.db.cases.get(created.id);
      if (stored) deps.db.cases.set(created.id, { ...stored, version: stored.version + 1 });
    };

    await expect(updateCase(deps, { id: created.id, expectedVersion: 1, changes: { priority: 'low' } }, agentActor)).rejects.toThrow(
      VersionConflictError,
    );
  });

  it('refuses an illegal status change', async () => {
    const { deps, created } = await withCase();
    const closed = await updateCase(deps, { id: created.id, expectedVersion: 1, changes: { status: 'closed' } }, agentActor);

    await expect(
      updateCase(deps, { id: created.id, expectedVersion: closed.version, changes: { status: 'pending' } }, agentActor),
    ).rejects.toThrow(IllegalTransitionError);
  });

  it('reopens a closed case only when a supervisor asks for reopen by name', async () => {
    const { deps, created } = await withCase();
    const closed = await updateCase(deps, { id: created.id, expectedVersion: 1, changes: { status: 'closed' } }, agentActor);

    await expect(
      updateCase(deps, { id: created.id, expectedVersion: closed.version, changes: { status: 'open' } }, supervisorActor),
    ).rejects.toThrow(/reopen/);
    await expect(
      updateCase(deps, { id: created.id, expectedVersion: closed.version, changes: { status: 'open', reopen: true } }, agentActor),
    ).rejects.toThrow(ForbiddenError);
    const reopened = await updateCase(
      deps,
      { id: created.id, expectedVersion: closed.version, changes: { status: 'open', reopen: true } },
      supervisorActor,
    );

    expect(reopened).toMatchObject({ status: 'open', reopenCount: 1, closedAt: null });
  });

  it('merges custom fields, a null removing one', async () => {
    const { deps, created } = await withCase();

    const updated = await updateCase(
      deps,
      { id: created.id, expectedVersion: 1, changes: { customFields: { orderId: null, store: 'Kraków 2' } } },
      agentActor,
    );

    expect(updated.customFields).toEqual({ store: 'Kraków 2' });
  });

  it('refuses custom fields under the names Switchboard keeps, and changes nothing', async () => {
    const { deps, created } = await withCase();
    const held = { ...deps.db.cases.get(created.id)!, connectCallInProgress: true };
    deps.db.cases.set(created.id, held);

    const attempts: Record<string, CustomFieldValue>[] = [
      { connectCallInProgress: false },
      { connectCallInProgress: null },
      { connectContactId: 'c-9', note: 'x' },
    ];
    for (const customFields of attempts) {
      const refused = updateCase(deps, { id: created.id, expectedVersion: 1, changes: { priority: 'high', customFields } }, agentActor);
      await expect(refused).rejects.toThrow(ValidationError);
      await expect(refused).rejects.toMatchObject({ fields: [{ path: `customFields.${Object.keys(customFields)[0]}` }] });
    }
    expect(deps.db.cases.get(created.id)).toEqual(held);
    expect(deps.db.timeline.get(created.id)).toHaveLength(1);
  });

  it('returns the case unchanged, without a new version, when nothing changes', async () => {
    const { deps, created } = await withCase();

    const same = await updateCase(deps, { id: created.id, expectedVersion: 1, changes: { priority: 'normal' } }, agentActor);

    expect(same.version).toBe(1);
    expect(deps.db.timeline.get(created.id)).toHaveLength(1);
  });

  it('refuses an unknown queue and an unknown case', async () => {
    const { deps, created } = await withCase();

    await expect(updateCase(deps, { id: created.id, expectedVersion: 1, changes: { queue: 'nowhere' } }, agentActor)).rejects.toThrow(
      ValidationError,
    );
    await expect(updateCase(deps, { id: 'missing', expectedVersion: 1, changes: { priority: 'low' } }, agentActor)).rejects.toThrow(
      NotFoundError,
    );
  });
});

describe('getCase, addNote and getTimeline', () => {
  it('finds a case by id and by its number', async () => {
    const { deps, created } = await withCase();

    expect((await getCase(deps, created.id)).id).toBe(created.id);
    expect((await getCase(deps, 'cs-000001')).id).toBe(created.id);
    await expect(getCase(deps, 'CS-000002')).rejects.toThrow(NotFoundError);
  });

  it('adds a note to the case and its timeline, and refuses a note on an unknown case', async () => {
    const { deps, created } = await withCase();

    const note = await addNote(deps, { caseId: created.id, body: 'Zadzwonić jutro' }, agentActor);
    const timeline = await getTimeline(deps, created.id, { limit: 10 });

    expect(note).toMatchObject({ caseId: created.id, body: 'Zadzwonić jutro', authorId: 'agent-07' });
    expect(timeline.items.map((entry) => entry.action)).toEqual(['case.created', 'note.added']);
    await expect(addNote(deps, { caseId: 'missing', body: 'x' }, agentActor)).rejects.toThrow(NotFoundError);
    await expect(getTimeline(deps, 'missing', { limit: 10 })).rejects.toThrow(NotFoundError);
  });
});

describe('releasing a quarantined case', () => {
  async function quarantined() {
    const deps = memoryDeps();
    const created = await openCase(deps, openCaseInput(), agentActor);
    deps.db.cases.set(created.id, { ...created, status: 'quarantined' });
    return { deps, created };
  }

  it('is refused to an agent, and the case stays quarantined', async () => {
    const { deps, created } = await quarantined();
    await expect(updateCase(deps, { id: created.id, expectedVersion: 1, changes: { status: 'new' } }, agentActor)).rejects.toThrow(
      ForbiddenError,
    );
    expect(deps.db.cases.get(created.id)).toMatchObject({ status: 'quarantined', version: 1 });
  });

  it('is a supervisor’s call', async () => {
    const { deps, created } = await quarantined();
    const released = await updateCase(deps, { id: created.id, expectedVersion: 1, changes: { status: 'new' } }, supervisorActor);
    expect(released).toMatchObject({ status: 'new', version: 2 });
  });
});
