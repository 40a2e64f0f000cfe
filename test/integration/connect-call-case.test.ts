import { randomInt, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiUrl, call } from '../support/api-client.js';
import { eventually } from '../support/backend-client.js';
import { LOCAL_INSTANCE_ARN as INSTANCE_ARN, connectFixture } from '../support/connect-events.js';

/**
 * A call's case from the contact flow to the call's end, through the local runtime: the flow opens a
 * phone case, or links the call to the caller's case (Connect routes the call, so Switchboard's
 * router stays away from the case), the agent event stream names the agent's Connect ARN, and the
 * contact's DISCONNECTED event hands the case to the agent who took the call, the call being its
 * first response.
 */
const flowEvent = connectFixture('contact-flow-event.json');

const post = (path: string, body: unknown) =>
  fetch(`${apiUrl()}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** An agent of our own whose Connect login and agent ARN are known (one agent event), kept offline (shared backend: no routing to them). */
async function callTaker(): Promise<{ agentId: string; agentArn: string }> {
  const agentId = `call-agent-${randomInt(1e6)}`;
  const connectUsername = `${agentId}.connect`;
  const agentArn = `${INSTANCE_ARN}/agent/${randomUUID()}`;
  const put = await call('PUT', `/agents/${agentId}`, {
    as: 'admin',
    body: {
      name: 'Call Taker',
      email: `${agentId}@switchboard.local`,
      connectUsername,
      roles: ['agents'],
      skills: [{ skill: 'pl', level: 9 }],
      queues: ['customers'],
      capacity: 100,
    },
  });
  expect(put.status).toBe(200);
  const at = new Date().toISOString();
  const agentEvent = {
    AWSAccountId: '000000000000',
    AgentARN: agentArn,
    EventId: randomUUID(),
    EventType: 'STATE_CHANGE',
    EventTimestamp: at,
    InstanceARN: INSTANCE_ARN,
    Version: '2019-05-25',
    CurrentAgentSnapshot: {
      AgentStatus: { Name: 'Offline', Type: 'OFFLINE', StartTimestamp: at },
      Configuration: {
        Username: connectUsername,
        FirstName: 'Call',
        LastName: 'Taker',
        AgentHierarchyGroups: null,
        RoutingProfile: { Name: 'Basic' },
      },
      Contacts: [],
    },
  };
  expect((await post('/local/connect/agent-events', agentEvent)).status).toBe(200);
  return { agentId, agentArn };
}

/** The contact flow's open-or-link-case for a call from this number. */
async function openOrLink(contactId: string, caller: string): Promise<Record<string, string>> {
  const event = structuredClone(flowEvent);
  Object.assign(event.Details.ContactData, {
    ContactId: contactId,
    InitialContactId: contactId,
    PreviousContactId: contactId,
    InstanceARN: INSTANCE_ARN,
  });
  event.Details.ContactData.CustomerEndpoint.Address = caller;
  event.Details.Parameters = { reason: 'Reklamacja butów' };
  return (await (await post('/local/connect/open-or-link-case', event)).json()) as Record<string, string>;
}

/** Connect's DISCONNECTED event of an inbound call an agent took at `connectedAt`. */
async function callEnded(contactId: string, agentArn: string, startedAt: number, connectedAt: string): Promise<void> {
  const delivered = await post('/local/connect/contact-events', {
    source: 'aws.connect',
    'detail-type': 'Amazon Connect Contact Event',
    resources: [`${INSTANCE_ARN}/contact/${contactId}`, INSTANCE_ARN],
    detail: {
      eventType: 'DISCONNECTED',
      contactId,
      initialContactId: contactId,
      channel: 'VOICE',
      instanceArn: INSTANCE_ARN,
      initiationMethod: 'INBOUND',
      initiationTimestamp: new Date(startedAt).toISOString(),
      disconnectTimestamp: new Date(startedAt + 300_000).toISOString(),
      agentInfo: { agentArn, connectedToAgentTimestamp: connectedAt },
    },
  });
  expect(delivered.status).toBe(200);
  expect(((await delivered.json()) as { failed: unknown[] }).failed).toEqual([]);
}

const uniqueCaller = () => `+4851${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
const caseOf = async (caseId: string) => (await call('GET', `/cases/${caseId}`)).body;
const assignedTo = (caseId: string, agentId: string) =>
  eventually(
    'the case to be the agent’s',
    async () => {
      const c = await caseOf(caseId);
      return c.assigneeId === agentId ? c : null;
    },
    20_000,
  );

describe('a phone case opened by the contact flow', () => {
  it('is left to Connect while the call lasts, then belongs to the agent who took the call', async () => {
    const { agentId, agentArn } = await callTaker();
    const now = Date.now();

    // The flow opens the call's case.
    const contactId = randomUUID();
    const opened = await openOrLink(contactId, uniqueCaller());
    expect(opened).toMatchObject({ status: 'ok', linked: 'false' });
    const caseId = opened.caseId as string;

    // While the call lasts, Switchboard's router makes no work item of the case.
    await new Promise((done) => setTimeout(done, 1_500));
    expect((await call('GET', `/cases/${caseId}/routing`, { as: 'supervisor-1' })).status).toBe(404);
    expect(await caseOf(caseId)).toMatchObject({ customFields: { connectContactId: contactId }, connectCallInProgress: true });

    // The call ends after an agent took it.
    const connectedAt = new Date(now + 30_000).toISOString();
    await callEnded(contactId, agentArn, now, connectedAt);

    const assigned = await assignedTo(caseId, agentId);
    expect(assigned).toMatchObject({ status: 'open', firstResponseAt: connectedAt, awaitingResponseSince: null });
    expect(assigned).toMatchObject({ customFields: { connectContactId: contactId }, connectCallInProgress: false });
    const actions = ((await call('GET', `/cases/${caseId}/timeline?limit=100`)).body.items as { action: string }[]).map(
      (entry) => entry.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['call.started', 'call.ended', 'call.completed']));
  });
});

describe('a call about a case nobody has yet', () => {
  it('takes the case out of the backlog while the call lasts, and gives it to the agent who took the call', async () => {
    const { agentId, agentArn } = await callTaker();
    const caller = uniqueCaller();
    const created = await call('POST', '/cases', {
      body: {
        subject: 'Zwrot butów',
        description: 'Chcę zwrócić buty.',
        channel: 'email',
        queue: 'customers',
        language: 'pl',
        customer: { email: `linked.${randomUUID()}@example.com`, phone: caller, name: 'Ewa Dzwoniąca' },
      },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    await eventually(
      'the case’s work item',
      async () => (await call('GET', `/cases/${caseId}/routing`, { as: 'supervisor-1' })).status === 200 || null,
    );

    // The customer calls about it: the flow links the call, and Switchboard stops offering the case.
    const now = Date.now();
    const contactId = randomUUID();
    expect(await openOrLink(contactId, caller)).toMatchObject({ status: 'ok', linked: 'true', caseId });
    expect(await caseOf(caseId)).toMatchObject({ customFields: {}, connectCallInProgress: true });
    const routing = await eventually('the work item out of the backlog', async () => {
      const record = (await call('GET', `/cases/${caseId}/routing`, { as: 'supervisor-1' })).body;
      return record.status === 'done' ? record : null;
    });
    expect(routing.owner).toBeNull();

    const connectedAt = new Date(now + 20_000).toISOString();
    await callEnded(contactId, agentArn, now, connectedAt);

    const assigned = await assignedTo(caseId, agentId);
    expect(assigned).toMatchObject({ status: 'open', firstResponseAt: connectedAt });
    expect(assigned.connectCallInProgress).toBe(false);
    const entries = (await call('GET', `/cases/${caseId}/timeline?limit=100`)).body.items as {
      action: string;
      data?: Record<string, unknown>;
    }[];
    expect(entries.find((entry) => entry.action === 'call.linked')?.data).toMatchObject({ contactId, heldFromRouting: true });
    expect(entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['call.ended', 'call.completed']));
  });
});
