import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { messageItem } from '#cases/adapters';
import { ulidGenerator } from '#platform/adapters/system';
import { call, newCaseBody } from '../support/api-client.js';
import { aMessage } from '../support/builders.js';
import { eventually } from '../support/mail.js';

/**
 * A merge through the API against the local runtime: the cases change at once, the merge worker
 * moves the content in pages from the merge queue, and reading the target stays bounded.
 */
const raw = new DynamoDBClient({
  endpoint: inject('dynamoDbUrl'),
  region: 'eu-central-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
afterAll(() => raw.destroy());

/** A generous deadline: the CI machine is shared and slow, and the worker moves 90 items a page. */
const MERGE_DEADLINE_MS = 480_000;

/** Writes a case's messages straight into the cases table, 25 a request: the fast path to a big case. */
async function seedMessages(caseId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => ulidGenerator.newId());
  const items = ids.map((id, n) =>
    messageItem(aMessage({ id, caseId, messageId: `<seed-${id}@example.com>`, subject: `Message ${n}`, attachments: [], rawKey: null })),
  );
  for (let start = 0; start < items.length; start += 25) {
    let pending = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { CasesTable: pending } }));
      pending = (result.UnprocessedItems?.CasesTable ?? []) as typeof pending;
    }
  }
  return ids;
}

/** Every message of a case, reading GET /cases/{id}/messages back from the newest. */
async function allMessages(caseId: string): Promise<string[]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `limit=100&cursor=${encodeURIComponent(cursor)}` : 'limit=100';
    const page = await call('GET', `/cases/${caseId}/messages?${query}`);
    expect(page.status).toBe(200);
    pages.unshift(page.body.items.map((message: { id: string }) => message.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return pages.flat();
}

describe('merging a case with 2,000 messages', () => {
  it(
    'answers 202 with the job, moves every message in the background, and the target reads in bounded pages',
    async () => {
      const source = (await call('POST', '/cases', { body: newCaseBody({ subject: 'Big duplicate' }) })).body;
      const target = (await call('POST', '/cases', { body: newCaseBody({ subject: 'Big original' }) })).body;
      const seeded = await seedMessages(source.id, 2000);
      await call('POST', `/cases/${source.id}/notes`, { body: { body: 'Merge me' } });

      const started = await call('POST', `/cases/${source.id}/merge`, { as: 'supervisor-1', body: { intoCaseId: target.id } });
      const done = await eventually(
        async () => {
          const merge = await call('GET', `/merges/${started.body.id}`, { as: 'supervisor-1' });
          return merge.body.status === 'done' ? merge.body : undefined;
        },
        'the merge job to finish',
        MERGE_DEADLINE_MS,
      );
      const targetDetail = await call('GET', `/cases/${target.id}`);
      const sourceDetail = await call('GET', `/cases/${source.id}`);
      const targetMessages = await allMessages(target.id);
      const targetTimeline = (await call('GET', `/cases/${target.id}/timeline?limit=100`)).body.items;

      expect(started.status).toBe(202);
      expect(started.headers.get('location')).toBe(`/merges/${source.id}`);
      expect(started.body).toMatchObject({ id: source.id, sourceCaseId: source.id, targetCaseId: target.id, status: 'copying' });
      // 2,000 messages, the note, and the source's timeline but its own merge entry (created, note added).
      expect(done).toMatchObject({ status: 'done', moved: 2003, heldBack: 0, finishedAt: expect.any(String) });
      expect(targetDetail.body.messages).toHaveLength(50);
      expect(targetDetail.body.messages.map((message: { id: string }) => message.id)).toEqual(seeded.slice(-50));
      expect(targetDetail.body.messagesCursor).toEqual(expect.any(String));
      expect(targetMessages).toEqual(seeded);
      expect(sourceDetail.body).toMatchObject({ status: 'closed', messages: [], messagesCursor: null });
      expect(targetTimeline.map((entry: { action: string }) => entry.action)).toEqual(
        expect.arrayContaining(['note.added', 'case.merged_from']),
      );
    },
    MERGE_DEADLINE_MS + 120_000,
  );

  it('refuses a foreign cursor on the messages route and answers an unknown merge with 404', async () => {
    const first = (await call('POST', '/cases', { body: newCaseBody() })).body;
    const second = (await call('POST', '/cases', { body: newCaseBody() })).body;
    await seedMessages(first.id, 3);
    const page = await call('GET', `/cases/${first.id}/messages?limit=1`);

    const foreign = await call('GET', `/cases/${second.id}/messages?limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    const unknown = await call('GET', '/merges/no-such-merge', { as: 'supervisor-1' });
    const byAgent = await call('GET', `/merges/${first.id}`);

    expect(page.body.items).toHaveLength(1);
    expect([foreign.status, foreign.body.error.message]).toEqual([400, 'invalid cursor']);
    expect(unknown.status).toBe(404);
    expect(byAgent.status).toBe(403);
  });
});
