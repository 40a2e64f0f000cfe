import { describe, expect, it } from 'vitest';
import { timelinePageView } from '#cases/api/views';
import { call, newCaseBody } from '../support/api-client.js';

async function openCase(overrides: Record<string, unknown> = {}) {
  const created = await call('POST', '/cases', { body: newCaseBody(overrides) });
  expect(created.status).toBe(201);
  return created.body;
}

describe('PATCH /cases/{id}', () => {
  it('changes a case at the version given in If-Match and returns the next version', async () => {
    const created = await openCase();

    const updated = await call('PATCH', `/cases/${created.id}`, {
      body: { status: 'open', priority: 'urgent', category: 'privacy', customFields: { gdpr: true } },
      headers: { 'If-Match': '"1"' },
    });

    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    expect(updated.body).toMatchObject({ status: 'open', priority: 'urgent', category: 'privacy', version: 2 });
    expect(updated.body.customFields).toEqual({ gdpr: true });
  });

  it('takes the version from the body when there is no If-Match', async () => {
    const created = await openCase();

    const updated = await call('PATCH', `/cases/${created.id}`, { body: { version: 1, queue: 'other' } });

    expect([updated.status, updated.body.queue]).toEqual([200, 'other']);
  });

  it('answers 409 for a stale version, 400 without one, 422 for an illegal move, 404 for an unknown case', async () => {
    const created = await openCase();
    await call('PATCH', `/cases/${created.id}`, { body: { status: 'closed' }, headers: { 'If-Match': '1' } });

    const stale = await call('PATCH', `/cases/${created.id}`, { body: { priority: 'low' }, headers: { 'If-Match': '1' } });
    const unversioned = await call('PATCH', `/cases/${created.id}`, { body: { priority: 'low' } });
    const illegal = await call('PATCH', `/cases/${created.id}`, { body: { status: 'pending' }, headers: { 'If-Match': '2' } });
    const unknown = await call('PATCH', '/cases/01JDZZZZZZZZZZZZZZZZZZZZZZ', { body: { priority: 'low' }, headers: { 'If-Match': '1' } });

    expect([stale.status, stale.body.error.code]).toEqual([409, 'version_conflict']);
    expect([unversioned.status, unversioned.body.error.code]).toEqual([400, 'validation_failed']);
    expect([illegal.status, illegal.body.error.code]).toEqual([422, 'illegal_transition']);
    expect(unknown.status).toBe(404);
  });

  it('lets only a supervisor reopen a closed case, and only by asking for reopen (403 for an agent)', async () => {
    const created = await openCase();
    await call('PATCH', `/cases/${created.id}`, { body: { status: 'closed' }, headers: { 'If-Match': '1' } });

    const implicit = await call('PATCH', `/cases/${created.id}`, {
      as: 'supervisor-1',
      body: { status: 'open' },
      headers: { 'If-Match': '2' },
    });
    const byAgent = await call('PATCH', `/cases/${created.id}`, { body: { status: 'open', reopen: true }, headers: { 'If-Match': '2' } });
    const bySupervisor = await call('PATCH', `/cases/${created.id}`, {
      as: 'supervisor-1',
      body: { status: 'open', reopen: true },
      headers: { 'If-Match': '2' },
    });

    expect(implicit.status).toBe(422);
    expect([byAgent.status, byAgent.body.error.code]).toEqual([403, 'forbidden']);
    expect(bySupervisor.body).toMatchObject({ status: 'open', reopenCount: 1, version: 3 });
  });

  it('lets exactly one of many concurrent changes at the same version win', async () => {
    const created = await openCase();
    const priorities = ['low', 'high', 'urgent'] as const;

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('PATCH', `/cases/${created.id}`, {
          body: { priority: priorities[i % 3], tags: [`writer-${i}`] },
          headers: { 'If-Match': '1' },
        }),
      ),
    );
    const winners = responses.filter((response) => response.status === 200);
    const final = await call('GET', `/cases/${created.id}`);

    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => response.status === 409)).toHaveLength(9);
    expect(final.body.version).toBe(2);
    expect(final.body.tags).toEqual(winners[0]?.body.tags);
  });
});

describe('notes and the timeline', () => {
  it('records creation, every change and every note, with who and before/after', async () => {
    const created = await openCase();
    await call('PATCH', `/cases/${created.id}`, { body: { status: 'pending' }, headers: { 'If-Match': '1' } });

    const note = await call('POST', `/cases/${created.id}/notes`, { as: 'supervisor-1', body: { body: 'Klient oddzwoni jutro.' } });
    const timeline = await call('GET', `/cases/${created.id}/timeline`);

    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ caseId: created.id, body: 'Klient oddzwoni jutro.', authorId: 'supervisor-1' });
    expect(timelinePageView.parse(timeline.body)).toBeTruthy();
    expect(timeline.body.items.map((entry: { action: string }) => entry.action)).toEqual(['case.created', 'case.updated', 'note.added']);
    expect(timeline.body.items[1]).toMatchObject({
      actor: { kind: 'user', id: 'anna.nowak' },
      changes: [{ field: 'status', before: 'new', after: 'pending' }],
    });
  });

  it('pages the timeline with a cursor', async () => {
    const created = await openCase();
    for (const text of ['one', 'two', 'three']) await call('POST', `/cases/${created.id}/notes`, { body: { body: text } });

    const first = await call('GET', `/cases/${created.id}/timeline?limit=2`);
    const second = await call('GET', `/cases/${created.id}/timeline?limit=2&cursor=${first.body.nextCursor}`);

    expect(first.body.items).toHaveLength(2);
    expect(second.body.items.map((entry: { data: { body: string } }) => entry.data.body)).toEqual(['two', 'three']);
  });

  it('refuses an empty note and a note on an unknown case', async () => {
    const created = await openCase();

    const empty = await call('POST', `/cases/${created.id}/notes`, { body: { body: '   ' } });
    const unknown = await call('POST', '/cases/01JDZZZZZZZZZZZZZZZZZZZZZZ/notes', { body: { body: 'hello' } });

    expect(empty.status).toBe(400);
    expect(unknown.status).toBe(404);
  });
});
