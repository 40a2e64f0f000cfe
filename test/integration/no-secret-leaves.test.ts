import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '#api/contract';
import { call, uniqueEmail } from '../support/api-client.js';
import { casesOf, composeMail, eventually, outboundTo, sendRaw } from '../support/mail.js';

/** Attribute names of DynamoDB items and storage that no response may carry, at any depth. */
const FORBIDDEN_KEY = /^(replyToken|s3Key|rawKey|key|bucket|PK|SK|GSI\d+(PK|SK)|entity|ttl)$/;
/** Object keys of the mail bucket (raw MIME, attachments, quarantined attachments) and S3 URIs. */
const STORAGE_KEY = /(^|[\s"'/=])(inbound|raw|attachments|quarantine)\/[^\s"']+|s3:\/\//;

/** Every place a response shows a secret or a storage detail: `path: what`. */
function leaks(value: unknown, secrets: readonly string[], path = '$'): string[] {
  if (typeof value === 'string') {
    const found = secrets.filter((secret) => value.includes(secret)).map(() => `${path}: a reply token`);
    return STORAGE_KEY.test(value) ? [...found, `${path}: a storage key (${value.slice(0, 80)})`] : found;
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => leaks(item, secrets, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([name, item]) => [
      ...(FORBIDDEN_KEY.test(name) ? [`${path}.${name}: a forbidden attribute`] : []),
      ...leaks(item, secrets, `${path}.${name}`),
    ]);
  }
  return [];
}

/** The reply token our acknowledgement carries in its reference marker `[ref:CS-…:<token>]`. */
function tokenIn(mail: any): string | undefined {
  const text = JSON.stringify(mail);
  return /\[ref:CS-\d+:([A-Za-z0-9_-]+)\]/.exec(text)?.[1];
}

describe('no secret leaves the API', () => {
  it('calls every GET route of the contract with real data and finds no reply token, storage key or raw item attribute', async () => {
    // A case opened by mail, with an attachment (stored in the mail bucket), an acknowledgement
    // (which carries the reply token), a note, a reply, an SLA record and a routing record.
    const from = uniqueEmail('leak-check');
    await sendRaw(
      await composeMail({
        from,
        subject: 'Invoice attached',
        text: 'Hello, the invoice for order 5531 is attached; the amount is wrong.',
        attachments: [{ filename: 'invoice.txt', content: 'Invoice 5531: 129.99 PLN', contentType: 'text/plain' }],
      }),
      { from, to: ['support@switchboard.local'] },
    );
    const opened = await eventually(async () => (await casesOf(from))[0], `the case of ${from}`);
    const token = await eventually(async () => tokenIn(await outboundTo(from)), `the acknowledgement to ${from}`);
    const as = 'admin';
    const setup = [
      await call('POST', `/cases/${opened.id}/notes`, { as, body: { body: 'Checked the invoice.' } }),
      await call('POST', `/cases/${opened.id}/replies`, { as: 'supervisor-1', body: { body: 'We are correcting it.' } }),
    ];
    expect(setup.map((response) => response.status)).toEqual([201, 201]);
    await eventually(
      async () => ((await call('GET', `/cases/${opened.id}/sla`, { as })).body?.tracking ? true : undefined),
      'SLA tracking',
    );
    await eventually(async () => ((await call('GET', `/cases/${opened.id}/routing`, { as })).status === 200 ? true : undefined), 'routing');
    const detail = (await call('GET', `/cases/${opened.id}`, { as })).body;
    expect(detail.messages[0].attachments).toHaveLength(1);
    const today = new Date().toISOString().slice(0, 10);
    // A merge job: a second case of another customer merged into this one.
    const duplicate = await call('POST', '/cases', {
      as,
      body: { subject: 'Invoice again', description: 'Same invoice.', channel: 'web', customer: { email: uniqueEmail('leak-dup') } },
    });
    const merge = await call('POST', `/cases/${duplicate.body.id}/merge`, { as, body: { intoCaseId: opened.id } });
    expect([duplicate.status, merge.status]).toEqual([201, 202]);

    // Each GET route of the contract with the path that reaches the data above.
    const paths: Record<string, string> = {
      'GET /health': '/health',
      'GET /openapi.json': '/openapi.json',
      'GET /cases': `/cases?customerId=${opened.customerId}`,
      'GET /cases/{id}': `/cases/${opened.number}`,
      'GET /cases/{id}/timeline': `/cases/${opened.id}/timeline?limit=100`,
      'GET /cases/{id}/messages': `/cases/${opened.id}/messages?limit=5`,
      // The customer's own bytes as received: scanned too, as the first mail of a case quotes no token.
      'GET /cases/{id}/messages/{messageId}/raw': `/cases/${opened.id}/messages/${detail.messages[0].id}/raw`,
      'GET /merges/{id}': `/merges/${duplicate.body.id}`,
      'GET /customers/{id}': `/customers/${opened.customerId}`,
      'GET /customers': `/customers?email=${encodeURIComponent(from)}`,
      'GET /agents': '/agents',
      'GET /agents/{id}/work': '/agents/anna.nowak/work',
      'GET /queues': '/queues',
      'GET /cases/{id}/routing': `/cases/${opened.id}/routing`,
      'GET /cases/{id}/sla': `/cases/${opened.id}/sla`,
      'GET /sla/at-risk': '/sla/at-risk',
      'GET /sla/policies': '/sla/policies',
      'GET /sla/policies/{name}': '/sla/policies/urgent',
      'GET /sla/calendars': '/sla/calendars',
      'GET /sla/calendars/{name}': '/sla/calendars/24x7',
      'GET /callbacks': '/callbacks',
      'GET /reports/missed-calls': `/reports/missed-calls?from=${today}&to=${today}`,
    };
    // A GET route added to the contract must be added here, or this test fails.
    expect(Object.keys(paths).sort()).toEqual(
      ROUTES.filter((route) => route.method === 'GET')
        .map(routeKey)
        .sort(),
    );

    const found: string[] = setup.flatMap((response, index) => leaks(response.body, [token], `setup[${index}]`));
    for (const [key, path] of Object.entries(paths)) {
      const response = await call('GET', path, { as });
      expect([key, response.status]).toEqual([key, 200]);
      found.push(...leaks(response.body, [token], key));
    }
    expect(found).toEqual([]);
  });

  it('catches each kind of leak it looks for', () => {
    const token = 'tok_3f9a2b';
    expect(leaks({ a: { replyToken: 'x' } }, [])).toEqual(['$.a.replyToken: a forbidden attribute']);
    expect(leaks({ text: `see [ref:CS-000001:${token}]` }, [token])).toEqual(['$.text: a reply token']);
    expect(leaks({ file: 'attachments/abc/1-invoice.txt' }, [])).toHaveLength(1);
    expect(leaks({ file: 'quarantine/attachments/abc/1-x.exe' }, [])).toHaveLength(1);
    expect(leaks([{ GSI3PK: 'QUEUE#customers' }, { ttl: 1 }, { entity: 'case' }, { PK: 'CASE#1' }], [])).toHaveLength(4);
    expect(leaks({ id: '01J', subject: 'Invoice attached', items: [1, 'two'] }, [token])).toEqual([]);
  });
});
