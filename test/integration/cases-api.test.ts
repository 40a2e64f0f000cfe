import { describe, expect, it } from 'vitest';
import { caseView } from '#cases/api/views';
import { call, newCaseBody, requestToken, uniqueEmail } from '../support/api-client.js';

describe('POST /cases and GET /cases/{id}', () => {
  it('opens a case for a new customer and reads it back by id and by number', async () => {
    const body = newCaseBody({ priority: 'high', queue: 'stores', language: 'pl', tags: ['zwrot'], customFields: { orderId: '5531' } });

    const created = await call('POST', '/cases', { body });
    const byId = await call('GET', `/cases/${created.body.id}`);
    const byNumber = await call('GET', `/cases/${created.body.number}`);

    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/cases/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(caseView.parse(created.body)).toBeTruthy();
    expect(created.body).toMatchObject({
      status: 'new',
      priority: 'high',
      queue: 'stores',
      language: 'pl',
      channel: 'web',
      tags: ['zwrot'],
      customFields: { orderId: '5531' },
      createdBy: 'anna.nowak',
      customer: { name: 'Ewa Testowa', email: body.customer.email.toLowerCase(), tier: 'standard' },
    });
    expect(created.body.number).toMatch(/^CS-\d{6,}$/);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({ ...created.body, messages: [], messagesCursor: null });
    expect(byId.body).not.toHaveProperty('replyToken');
    expect(byNumber.body.id).toBe(created.body.id);
  });

  it('numbers concurrent cases uniquely and gives one customer all of them', async () => {
    const email = uniqueEmail('burst');

    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call('POST', '/cases', { body: newCaseBody({ subject: `Burst ${i}`, customer: { email } }) })),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(201));
    expect(new Set(responses.map((response) => response.body.number)).size).toBe(12);
    expect(new Set(responses.map((response) => response.body.customerId)).size).toBe(1);
  });

  it('answers 404 for an unknown case id or number', async () => {
    const missing = await call('GET', '/cases/01JDZZZZZZZZZZZZZZZZZZZZZZ');
    const missingNumber = await call('GET', '/cases/CS-99999999');

    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect(missingNumber.status).toBe(404);
  });

  it.each([
    ['neither email nor phone', { customer: { name: 'Nobody' } }, 'body.customer'],
    ['an unknown channel', { channel: 'pigeon' }, 'body.channel'],
    ['a subject over 998 characters', { subject: 'x'.repeat(999) }, 'body.subject'],
    ['a description over 100 000 characters', { description: 'x'.repeat(100_001) }, 'body.description'],
    ['an unknown field', { colour: 'red' }, 'body'],
    ['a phone without country code', { customer: { phone: '601 234 567' } }, 'phone'],
    ['an unknown queue', { queue: 'nowhere' }, 'queue'],
    [
      'a custom field Switchboard keeps for itself',
      { customFields: { connectCallInProgress: true } },
      'customFields.connectCallInProgress',
    ],
  ])('refuses a case with %s (400 with the failing field)', async (_name, overrides, path) => {
    const response = await call('POST', '/cases', { body: newCaseBody(overrides) });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.fields.map((field: { path: string }) => field.path)).toContain(path);
  });

  it('refuses malformed JSON (400), a non-JSON body (415) and a body over 256 KiB (413)', async () => {
    const malformed = await call('POST', '/cases', { rawBody: '{"subject":', headers: { 'Content-Type': 'application/json' } });
    const text = await call('POST', '/cases', { rawBody: 'subject=hi', headers: { 'Content-Type': 'text/plain' } });
    const huge = await call('POST', '/cases', { body: newCaseBody({ description: 'x'.repeat(300 * 1024) }) });

    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_json']);
    expect([text.status, text.body.error.code]).toEqual([415, 'unsupported_media_type']);
    expect([huge.status, huge.body.error.code]).toEqual([413, 'payload_too_large']);
  });

  it('refuses PATCH /cases/{id} with a custom field Switchboard keeps for itself (400), and changes nothing', async () => {
    const created = await call('POST', '/cases', { body: newCaseBody({ customFields: { orderId: '5531' } }) });
    expect(created.body.connectCallInProgress).toBe(false);

    const refused = await Promise.all(
      [{ connectCallInProgress: true }, { connectCallInProgress: null }, { connectContactId: 'contact-1' }].map((customFields) =>
        call('PATCH', `/cases/${created.body.id}`, { body: { priority: 'urgent', customFields }, headers: { 'If-Match': '"1"' } }),
      ),
    );
    const after = await call('GET', `/cases/${created.body.id}`);

    for (const response of refused) {
      expect([response.status, response.body.error.code]).toEqual([400, 'validation_failed']);
      expect(response.body.error.details.fields[0].path).toMatch(/^customFields\.connect/);
    }
    expect(after.body).toMatchObject({ version: 1, priority: 'normal', customFields: { orderId: '5531' }, connectCallInProgress: false });
  });

  it('never shows a stack trace in an error', async () => {
    const response = await call('POST', '/cases', { body: newCaseBody({ customer: { email: 'not-an-address' } }) });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  });
});

describe('authentication and groups', () => {
  it('lets anyone check health, and nobody without a valid token at cases', async () => {
    const health = await call('GET', '/health', { as: null });
    const anonymous = await call('GET', '/cases', { as: null });
    const forged = await call('GET', '/cases', { as: null, headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' } });

    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthorized']);
    expect(forged.status).toBe(401);
  });

  it('refuses a token whose signature was tampered with', async () => {
    const token = (await (await requestToken('admin')).json()) as { token: string };
    const [header, payload, signature] = token.token.split('.') as [string, string, string];
    const tampered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

    const response = await call('GET', '/cases', { as: null, headers: { Authorization: tampered } });

    expect(response.status).toBe(401);
  });

  it('gives no token to a user who is not seeded', async () => {
    const response = await requestToken('mallory');

    expect(response.status).toBe(404);
  });

  it('answers 404 in our error shape for a route that does not exist', async () => {
    const response = await call('GET', '/nowhere');

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});
