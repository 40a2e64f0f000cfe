import { describe, expect, it } from 'vitest';
import { call, newCaseBody, uniqueEmail } from '../support/api-client.js';

/** A cursor with its start key pointed elsewhere, its signature kept: what a caller editing one sends. */
function tampered(cursor: string, change: (key: Record<string, string>) => void): string {
  const [payload = '', signature = ''] = cursor.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { i: string; k: Record<string, string> };
  change(decoded.k);
  return `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
}

function expectRefusedCursor(response: { status: number; body: any }) {
  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ code: 'validation_failed', message: 'invalid cursor' });
}

describe('signed cursors', () => {
  it('refuses a tampered cursor of the case list, the timeline and a customer’s cases with 400, and follows the real one', async () => {
    const email = uniqueEmail('cursor');
    const first = (await call('POST', '/cases', { body: newCaseBody({ customer: { email } }) })).body;
    const second = (await call('POST', '/cases', { body: newCaseBody({ customer: { email } }) })).body;
    await call('POST', `/cases/${first.id}/notes`, { body: { body: 'Oddzwonić jutro' } });
    const cases = await call('GET', `/cases?customerId=${first.customerId}&limit=1`);
    const timeline = await call('GET', `/cases/${first.id}/timeline?limit=1`);
    const customer = await call('GET', `/customers/${first.customerId}?limit=1`);

    const followed = await call('GET', `/cases?customerId=${first.customerId}&limit=1&cursor=${encodeURIComponent(cases.body.nextCursor)}`);
    const listForged = tampered(cases.body.nextCursor, (key) => (key.GSI1SK = `${key.GSI1SK}~`));
    const timelineForged = tampered(timeline.body.nextCursor, (key) => (key.PK = `CASE#${second.id}`));
    const customerForged = tampered(customer.body.nextCursor, (key) => (key.GSI1PK = 'CUSTOMER#someone-else'));

    expect(followed.body.items.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expectRefusedCursor(await call('GET', `/cases?customerId=${first.customerId}&limit=1&cursor=${encodeURIComponent(listForged)}`));
    expectRefusedCursor(await call('GET', `/cases/${first.id}/timeline?limit=1&cursor=${encodeURIComponent(timelineForged)}`));
    expectRefusedCursor(await call('GET', `/customers/${first.customerId}?limit=1&cursor=${encodeURIComponent(customerForged)}`));
    expectRefusedCursor(await call('GET', `/cases?cursor=${encodeURIComponent(cases.body.nextCursor.split('.')[0])}`));
  });
});

describe('malformed requests', () => {
  it('answers a malformed percent-encoding in a path with 400 and the error shape', async () => {
    const response = await call('GET', '/cases/CS%E0%A4%A');
    const note = await call('POST', '/cases/%/notes', { body: { body: 'x' } });

    for (const refused of [response, note]) {
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'validation_failed', details: { fields: [{ path: 'path.id' }] } });
    }
  });

  it('refuses an email address over 254 characters with 400, and takes one of 254', async () => {
    const local = `${Date.now().toString(36)}${process.pid}`.padEnd(64, 'a');
    const longest = `${local}@${'b'.repeat(186)}.pl`;

    const refused = await call('POST', '/cases', { body: newCaseBody({ customer: { email: `a${longest}` } }) });
    const lookup = await call('GET', `/customers?email=${encodeURIComponent(`a${longest}`)}`);
    const taken = await call('POST', '/cases', { body: newCaseBody({ customer: { email: longest } }) });

    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(lookup.status).toBe(400);
    expect(taken.status).toBe(201);
    expect(taken.body.customer.email).toBe(longest);
  });
});
