import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiUrl, call } from '../support/api-client.js';
import { eventually } from '../support/backend-client.js';

/**
 * A call's case from the contact flow to the call's end, through the local runtime: the flow opens a
 * phone case (Connect routes the call, so Switchboard's router stays away from the case), the agent
 * event stream names the agent's Connect ARN, and the contact's DISCONNECTED event hands the case
 * to the agent who took the call, the call being its first response.
 */
const INSTANCE_ARN = 'arn:aws:connect:eu-central-1:000000000000:instance/00000000-0000-4000-8000-00000000c0de';
const flowEvent = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/connect/contact-flow-event.json'), 'utf8')) as Record<string, any>;

const post = (path: string, body: unknown) =>
  fetch(`${apiUrl()}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });


describe('a phone case opened by the contact flow', () => {
  it('is left to Connect while the call lasts, then belongs to the agent who took the call', async () => {
    // An agent of our own whose Connect login is known, kept offline (shared backend: no routing to them).
    const agentId = `call-agent-${randomInt(1e6)}`;
    const connectUsername = `${agentId}.connect`;
    const agentArn = `${INSTANCE_ARN}/agent/${randomUUID()}`;
    const put = await call('PUT', `/agents/${agentId}`, {
      as: 'admin',
      body: { name: 'Call Taker', email: `${agentId}@switchboard.local`, connectUsername, roles: ['agents'], skills: [{ skill: 'pl', level: 9 }], queues: ['customers'], capacity: 100 },
    });
    expect(put.status).toBe(200);
    const now = Date.now();
    const agentEvent = {
      AWSAccountId: '000000000000',
      AgentARN: agentArn,
      EventId: randomUUID(),
      EventType: 'STATE_CHANGE',
      EventTimestamp: new Date(now).toISOString(),
      InstanceARN: INSTANCE_ARN,
      Version: '2019-05-25',
      CurrentAgentSnapshot: {
        AgentStatus: { Name: 'Offline', Type: 'OFFLINE', StartTimestamp: new Date(now).toISOString() },
        Configuration: { Username: connectUsername, FirstName: 'Call', LastName: 'Taker', AgentHierarchyGroups: null, RoutingProfile: { Name: 'Basic' } },
        Contacts: [],
      },
    };
    expect((await post('/local/connect/agent-events', agentEvent)).status).toBe(200);

    // The flow opens the call's case.
    const contactId = randomUUID();
    const caller = `+4851${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
    const event = structuredClone(flowEvent);
    Object.assign(event.Details.ContactData, { ContactId: contactId, InitialContactId: contactId, PreviousContactId: contactId, InstanceARN: INSTANCE_ARN });
    event.Details.ContactData.CustomerEndpoint.Address = caller;
    event.Details.Parameters = { reason: 'Reklamacja butów' };
    const opened = (await (await post('/local/connect/open-or-link-case', event)).json()) as Record<string, string>;
    expect(opened).toMatchObject({ status: 'ok', linked: 'false' });
    const caseId = opened.caseId as string;

    // While the call lasts, Switchboard's router makes no work item of the case.
    await new Promise((done) => setTimeout(done, 1_500));
    expect((await call('GET', `/cases/${caseId}/routing`, { as: 'supervisor-1' })).status).toBe(404);
    expect((await call('GET', `/cases/${caseId}`)).body.customFields).toMatchObject({ connectContactId: contactId, connectCallInProgress: true });

    // The call ends after an agent took it.
    const connectedAt = new Date(now + 30_000).toISOString();
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
        initiationTimestamp: new Date(now).toISOString(),
        disconnectTimestamp: new Date(now + 300_000).toISOString(),
        agentInfo: { agentArn, connectedToAgentTimestamp: connectedAt },
      },
    });
    expect(delivered.status).toBe(200);
    expect(((await delivered.json()) as { failed: unknown[] }).failed).toEqual([]);

    const assigned = await eventually(
      'the case to be the agent’s',
      async () => {
        const c = (await call('GET', `/cases/${caseId}`)).body;
        return c.assigneeId === agentId ? c : null;
      },
      20_000,
    );
    expect(assigned).toMatchObject({ status: 'open', firstResponseAt: connectedAt, awaitingResponseSince: null });
    expect(assigned.customFields.connectCallInProgress).toBeUndefined();
    const actions = ((await call('GET', `/cases/${caseId}/timeline?limit=100`)).body.items as { action: string }[]).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['call.started', 'call.ended', 'call.completed']));
  });
});
