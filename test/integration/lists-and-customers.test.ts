import { demoStaff } from '#local/demo-data';
import { describe, expect, it } from 'vitest';
import { agentListView } from '#agents/api/routes';
import { casePageView, customerWithCasesView } from '#cases/api/views';
import { call, newCaseBody, uniqueEmail } from '../support/api-client.js';

describe('GET /cases', () => {
  it('lists a customer’s cases newest first and pages through them', async () => {
    const email = uniqueEmail('lister');
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push((await call('POST', '/cases', { body: newCaseBody({ subject: `Case ${i}`, customer: { email } }) })).body.id);
    }
    const customerId = (await call('GET', `/cases/${ids[0]}`)).body.customerId;

    const first = await call('GET', `/cases?customerId=${customerId}&limit=2`);
    const second = await call('GET', `/cases?customerId=${customerId}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);

    expect(casePageView.parse(first.body)).toBeTruthy();
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('combines filters: a customer’s urgent cases in one status', async () => {
    const email = uniqueEmail('filters');
    const urgent = (await call('POST', '/cases', { body: newCaseBody({ priority: 'urgent', customer: { email } }) })).body;
    await call('POST', '/cases', { body: newCaseBody({ priority: 'low', customer: { email } }) });
    await call('PATCH', `/cases/${urgent.id}`, { body: { status: 'open' }, headers: { 'If-Match': '1' } });

    const listed = await call('GET', `/cases?customerId=${urgent.customerId}&priority=urgent&status=open`);
    const byStatus = await call('GET', '/cases?status=open&limit=100');
    const byQueue = await call('GET', '/cases?queue=customers&priority=urgent&limit=100');

    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([urgent.id]);
    expect(byStatus.body.items.every((c: { status: string }) => c.status === 'open')).toBe(true);
    expect(byQueue.body.items.every((c: { queue: string; priority: string }) => c.queue === 'customers' && c.priority === 'urgent')).toBe(
      true,
    );
    expect(byQueue.body.items.map((c: { id: string }) => c.id)).toContain(urgent.id);
  });

  it('lists all cases newest first without a filter', async () => {
    const created = (await call('POST', '/cases', { body: newCaseBody() })).body;

    const listed = await call('GET', '/cases?limit=5');

    expect(listed.body.items.length).toBeGreaterThan(0);
    const ids = listed.body.items.map((c: { id: string }) => c.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(ids[0] >= created.id).toBe(true);
  });

  it('refuses a bad filter or a forged cursor', async () => {
    const badStatus = await call('GET', '/cases?status=sleeping');
    const badLimit = await call('GET', '/cases?limit=1000');
    const badCursor = await call('GET', '/cases?cursor=bm90LWEtY3Vyc29y');

    expect(badStatus.status).toBe(400);
    expect(badLimit.status).toBe(400);
    expect([badCursor.status, badCursor.body.error.details.fields[0].path]).toEqual([400, 'cursor']);
  });
});

describe('customers', () => {
  it('finds the customer by email or by phone, and shows their history newest first', async () => {
    const email = uniqueEmail('history');
    const phone = `+48601${String(Date.now()).slice(-6)}`;
    const first = (await call('POST', '/cases', { body: newCaseBody({ channel: 'phone', customer: { phone, name: 'Jan Kowal' } }) })).body;
    // A new address joins a known phone's customer only on a supervisor's word (verified).
    const second = (
      await call('POST', '/cases', {
        as: 'supervisor-1',
        body: newCaseBody({ channel: 'email', customer: { email, phone, verified: true } }),
      })
    ).body;

    const byEmail = await call('GET', `/customers?email=${encodeURIComponent(email.toUpperCase())}`);
    const byPhone = await call('GET', `/customers?phone=${encodeURIComponent(phone)}`);
    const profile = await call('GET', `/customers/${first.customerId}`);

    expect(second.customerId).toBe(first.customerId);
    expect(byEmail.body.id).toBe(first.customerId);
    expect(byPhone.body.id).toBe(first.customerId);
    expect(customerWithCasesView.parse(profile.body)).toBeTruthy();
    expect(profile.body.customer.identities).toEqual([
      { type: 'phone', value: phone },
      { type: 'email', value: email },
    ]);
    expect(profile.body.cases.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);
  });

  it('answers 404 for an unknown customer and 400 for a query with neither or both identities', async () => {
    const unknownEmail = await call('GET', `/customers?email=${encodeURIComponent(uniqueEmail('ghost'))}`);
    const unknownId = await call('GET', '/customers/01JDZZZZZZZZZZZZZZZZZZZZZZ');
    const neither = await call('GET', '/customers');

    expect(unknownEmail.status).toBe(404);
    expect(unknownId.status).toBe(404);
    expect(neither.status).toBe(400);
  });
});

describe('GET /agents', () => {
  it('lists the seed scenario’s 30 agents and 2 supervisors with their language skills', async () => {
    const response = await call('GET', '/agents');

    expect(agentListView.parse(response.body)).toBeTruthy();
    // Only the seeded staff: other suites create agents on the same backend meanwhile.
    const seeded = new Set(demoStaff(new Date().toISOString()).map((member) => member.id));
    const staff = (response.body.items as { id: string; roles: string[]; skills: { skill: string; level: number }[] }[]).filter((member) =>
      seeded.has(member.id),
    );
    const agents = staff.filter((member) => member.roles.includes('agents'));
    const speaks = (language: string) => agents.filter((agent) => agent.skills.some((skill) => skill.skill === language));
    expect(agents).toHaveLength(30);
    expect(staff.filter((member) => member.roles.includes('supervisors'))).toHaveLength(2);
    expect(speaks('pl')).toHaveLength(25);
    expect(speaks('pl').filter((agent) => agent.skills.some((skill) => skill.skill === 'en'))).toHaveLength(10);
    expect(speaks('de')).toHaveLength(5);
  });
});
