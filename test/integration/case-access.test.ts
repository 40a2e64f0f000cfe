import { describe, expect, it } from 'vitest';
import { call, newCaseBody, uniqueEmail } from '../support/api-client.js';
import { casesOf, eventually, fixture, sendRaw } from '../support/mail.js';

// anna.nowak is an agent of the demo staff serving `customers` and `stores`; `marketplace` is not hers.
const AGENT = 'anna.nowak';
const SUPERVISOR = 'supervisor-1';

async function openAs(as: string, body: Record<string, unknown>): Promise<any> {
  const created = await call('POST', '/cases', { as, body: newCaseBody(body) });
  expect(created.status).toBe(201);
  return created.body;
}

const idsOf = (items: { id: string }[]) => items.map((item) => item.id);

/** Every page of a list, following the cursor; fails on a page that ends the list early. */
async function walk(path: string, as: string, pick: (body: any) => { id: string }[]): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const page: { status: number; body: any } = await call(
      'GET',
      cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path,
      { as },
    );
    expect(page.status).toBe(200);
    seen.push(...idsOf(pick(page.body)));
    cursor = page.body.nextCursor;
    if (cursor === null) return seen;
  }
  throw new Error(`${path} did not end within 50 pages`);
}

describe('cases by queue: an agent of another queue', () => {
  it('gets 404 not_found for the case by id and by number, and for every route of it', async () => {
    const hidden = await openAs(SUPERVISOR, { queue: 'marketplace' });
    const mine = await openAs(SUPERVISOR, { queue: 'stores' });

    const reads = [
      ['GET', `/cases/${hidden.id}`],
      ['GET', `/cases/${hidden.number}`],
      ['GET', `/cases/${hidden.id}/timeline`],
      ['GET', `/cases/${hidden.id}/routing`],
      ['GET', `/cases/${hidden.id}/sla`],
    ] as const;
    for (const [method, path] of reads) {
      const answer = await call(method, path, { as: AGENT });
      expect([path, answer.status, answer.body?.error?.code]).toEqual([path, 404, 'not_found']);
    }
    const changes = [
      ['PATCH', `/cases/${hidden.id}`, { priority: 'urgent', version: 1 }],
      ['POST', `/cases/${hidden.id}/notes`, { body: 'I should not be here' }],
      ['POST', `/cases/${hidden.id}/replies`, { body: 'Hello from the wrong queue' }],
    ] as const;
    for (const [method, path, body] of changes) {
      const answer = await call(method, path, { as: AGENT, body });
      expect([path, answer.status, answer.body?.error?.code]).toEqual([path, 404, 'not_found']);
    }

    // Nothing changed, and the answer for a case that does not exist is the same.
    const seen = await call('GET', `/cases/${hidden.id}`, { as: SUPERVISOR });
    expect(seen.body).toMatchObject({ version: 1, priority: 'normal', messages: [] });
    expect((await call('GET', `/cases/${hidden.id}/timeline`, { as: SUPERVISOR })).body.items.map((e: any) => e.action)).toEqual([
      'case.created',
    ]);
    expect((await call('GET', '/cases/01JUNKNOWNCASE00000000000', { as: AGENT })).body.error.code).toBe('not_found');

    // Her own queue's case is hers to read and change.
    expect((await call('GET', `/cases/${mine.id}`, { as: AGENT })).status).toBe(200);
    expect((await call('POST', `/cases/${mine.id}/notes`, { as: AGENT, body: { body: 'Checked.' } })).status).toBe(201);
  });

  it('sees the case once it is assigned to her', async () => {
    const hidden = await openAs(SUPERVISOR, { queue: 'marketplace' });
    expect((await call('GET', `/cases/${hidden.id}`, { as: AGENT })).status).toBe(404);

    const assigned = await call('PATCH', `/cases/${hidden.id}`, { as: SUPERVISOR, body: { assigneeId: AGENT, version: 1 } });
    expect(assigned.status).toBe(200);

    expect((await call('GET', `/cases/${hidden.id}`, { as: AGENT })).body).toMatchObject({ id: hidden.id, assigneeId: AGENT });
  });

  it('does not list it under any filter, and pages through her cases without a short last page', async () => {
    const email = uniqueEmail('by-queue');
    const opened: any[] = [];
    for (const queue of ['stores', 'marketplace', 'customers', 'marketplace', 'marketplace', 'stores']) {
      opened.push(await openAs(SUPERVISOR, { queue, customer: { email } }));
    }
    const customerId = opened[0].customerId;
    const visible = opened
      .filter((c) => c.queue !== 'marketplace')
      .map((c) => c.id)
      .reverse();
    const hidden = opened.filter((c) => c.queue === 'marketplace').map((c) => c.id);

    // One case a page: each page must be full until the last, and the last must end the list.
    expect(await walk(`/cases?customerId=${customerId}&limit=1`, AGENT, (body) => body.items)).toEqual(visible);
    expect(await walk(`/customers/${customerId}?limit=1`, AGENT, (body) => body.cases)).toEqual(visible);
    expect(await walk(`/cases?customerId=${customerId}&limit=2`, SUPERVISOR, (body) => body.items)).toEqual(
      opened.map((c) => c.id).reverse(),
    );

    for (const query of [
      `customerId=${customerId}&queue=marketplace`,
      `customerId=${customerId}&status=new`,
      `customerId=${customerId}&priority=normal`,
      'queue=marketplace&limit=100',
      'status=new&limit=100',
      'limit=100',
    ]) {
      const listed = await call('GET', `/cases?${query}`, { as: AGENT });
      expect(listed.status).toBe(200);
      expect(idsOf(listed.body.items).filter((id) => hidden.includes(id))).toEqual([]);
      expect(listed.body.items.every((c: any) => ['customers', 'stores'].includes(c.queue) || c.assigneeId === AGENT)).toBe(true);
    }

    // The customer view lists what she may see and says how many others exist.
    const profile = await call('GET', `/customers/${customerId}?limit=100`, { as: AGENT });
    expect([idsOf(profile.body.cases), profile.body.hiddenCases]).toEqual([visible, 3]);
    const full = await call('GET', `/customers/${customerId}?limit=100`, { as: SUPERVISOR });
    expect([full.body.cases.length, full.body.hiddenCases]).toEqual([6, 0]);
  });
});

describe('quarantine', () => {
  it('refuses the release by an agent (403) and lets a supervisor release it', async () => {
    const from = uniqueEmail('spam');
    const messageId = `<IT-ACCESS-${Date.now().toString(36)}@spam.example.com>`;
    await sendRaw(fixture('ses-spam-verdict-fail.eml', { from, messageId }), { from, to: ['support@switchboard.local'] });
    const quarantined = await eventually(async () => (await casesOf(from))[0], `the quarantined case of ${from}`);
    expect(quarantined).toMatchObject({ status: 'quarantined', queue: 'customers' });

    // She can see it (it is her queue's) but may not let it out.
    expect((await call('GET', `/cases/${quarantined.id}`, { as: AGENT })).status).toBe(200);
    const byAgent = await call('PATCH', `/cases/${quarantined.id}`, { as: AGENT, body: { status: 'new', version: quarantined.version } });
    expect([byAgent.status, byAgent.body.error.code]).toEqual([403, 'forbidden']);
    expect((await call('GET', `/cases/${quarantined.id}`, { as: SUPERVISOR })).body.status).toBe('quarantined');

    const bySupervisor = await call('PATCH', `/cases/${quarantined.id}`, {
      as: SUPERVISOR,
      body: { status: 'new', version: quarantined.version },
    });
    expect([bySupervisor.status, bySupervisor.body.status]).toEqual([200, 'new']);
  });
});

describe('identities are not linked on someone’s word', () => {
  it('gives a new email with a known phone its own customer, flagged, unless a supervisor vouches for it', async () => {
    const phone = `+4860${String(Date.now()).slice(-7)}`;
    const owner = await openAs(AGENT, { customer: { phone, name: 'Known Caller' } });

    const unverified = await openAs(AGENT, { customer: { email: uniqueEmail('claims'), phone } });
    expect(unverified.customerId).not.toBe(owner.customerId);
    const flagged = await call('GET', `/customers/${unverified.customerId}`, { as: SUPERVISOR });
    expect(flagged.body.customer).toMatchObject({ possibleDuplicateOf: owner.customerId });
    expect(flagged.body.customer.identities.map((identity: any) => identity.type)).toEqual(['email']);

    const agentVouches = await call('POST', '/cases', {
      as: AGENT,
      body: newCaseBody({ customer: { email: uniqueEmail('vouched'), phone, verified: true } }),
    });
    expect([agentVouches.status, agentVouches.body.error.code]).toEqual([403, 'forbidden']);

    const verifiedEmail = uniqueEmail('verified');
    const verified = await openAs(SUPERVISOR, { customer: { email: verifiedEmail, phone, verified: true } });
    expect(verified.customerId).toBe(owner.customerId);
    const linked = await call('GET', `/customers/${owner.customerId}`, { as: SUPERVISOR });
    expect(linked.body.customer.identities).toContainEqual({ type: 'email', value: verifiedEmail });
    expect(linked.body.customer.possibleDuplicateOf).toBeNull();
  });
});
