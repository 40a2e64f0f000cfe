import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendClient, eventually } from '../support/backend-client.js';
import { type RunningBackend, startBackend } from '../support/local-process.js';

/**
 * Routing end to end through the local runtime: cases created over HTTP reach agents through the
 * cases stream, the work relay, the SQS routing queues and the router; agents answer over HTTP.
 * This file runs its own backend, so cases the other suites create cannot reach its agents, and
 * with short clocks: offers lapse after 15 s, waiting items are looked at again every 5 s.
 */
let backend: RunningBackend;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-routing-'));
  backend = await startBackend({
    dataDir,
    reset: true,
    // Offers last 15 s: long enough that a test answers one in time on a busy machine, short enough
    // to watch one lapse.
    context: { 'switchboard:offerTimeoutSeconds': 15, 'switchboard:backlogRecheckSeconds': 5 },
  });
}, 120_000);

afterAll(async () => {
  await backend?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const { api } = backendClient(() => backend);

let agentCount = 0;
/**
 * An agent of the customers queue with Finnish (no demo agent speaks it, so only these agents are
 * eligible) and a topic of the test's own.
 */
async function agent(
  topic: string,
  options: { capacity?: number; presence?: 'available' | 'offline'; connectUsername?: string } = {},
): Promise<string> {
  agentCount += 1;
  const id = `rt-${topic}-${agentCount}`;
  const put = await api('PUT', `/agents/${id}`, 'admin', {
    name: `Routing Tester ${agentCount}`,
    email: `${id}@switchboard.local`,
    connectUsername: options.connectUsername ?? null,
    roles: ['agents'],
    skills: [
      { skill: 'fi', level: 9 },
      { skill: topic, level: 9 },
    ],
    queues: ['customers'],
    capacity: options.capacity ?? 100,
  });
  expect(put.status).toBe(200);
  if ((options.presence ?? 'available') === 'available') await presence(id, 'available');
  return id;
}

/**
 * Makes an agent available and waits until the backlog drains that this started have run. Every
 * change of an available agent's live state starts a drain, which takes waiting work the agent can
 * do; one that runs late (the stream is read by a poller of its own, slower under load) can take a
 * case opened after it from the backlog before the router places it, and a drain's decision record
 * names only the agent who drained. Drains run in the order of the agent-state stream, so: a probe
 * case waits in the backlog for a probe agent; this agent becomes available, then the probe agent;
 * once the probe agent has been offered the probe case, this agent's drains have run.
 */
async function becomeAvailableWithDrainsDone(agentId: string): Promise<void> {
  const prober = await agent('probe', { presence: 'offline' });
  const probeCase = await openCase('probe');
  await eventually('the probe case in the backlog', async () => (await routingOf(probeCase))?.status === 'waiting');
  await presence(agentId, 'available');
  await presence(prober, 'available');
  const probeOffer = await offerTo(prober, probeCase);
  // Accepted work does not lapse: the probe case stays with its agent for the rest of the file.
  expect((await api('POST', `/work/${probeOffer.id}/accept`, prober)).status).toBe(200);
}

async function presence(agentId: string, status: string): Promise<void> {
  const response = await api('PUT', `/agents/${agentId}/presence`, 'admin', { status });
  expect(response.status).toBe(200);
}

async function openCase(topic: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await api('POST', '/cases', 'admin', {
    subject: 'Tilaus ei ole saapunut',
    description: 'Tilasin kengät viikko sitten.',
    channel: 'email',
    language: 'fi',
    category: topic,
    customer: { email: `${topic}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.com`, name: 'Testi Asiakas' },
    ...overrides,
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

const workOf = async (agentId: string) => (await api('GET', `/agents/${agentId}/work`, agentId)).body as { offers: any[]; accepted: any[] };
const routingOf = async (caseId: string) => (await api('GET', `/cases/${caseId}/routing`, 'admin')).body;
const loadOf = async (agentId: string) => ((await api('GET', '/agents', 'admin')).body.items as any[]).find((a) => a.id === agentId);
const offerTo = (agentId: string, caseId: string) =>
  eventually(`an offer of ${caseId} to ${agentId}`, async () => (await workOf(agentId)).offers.find((offer) => offer.caseId === caseId));
async function eventsOf(detailType: string): Promise<any[]> {
  const response = await fetch(`${backend.eventsUrl}/events?detailType=${encodeURIComponent(detailType)}`);
  return ((await response.json()) as { events: any[] }).events;
}

/** Every waiting work item in the backend's agent-state table, counted one by one: queue → priority → count. */
async function recountWaiting(): Promise<Record<string, Record<string, number>>> {
  const raw = new DynamoDBClient({
    endpoint: backend.dynamoDbUrl,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const counts: Record<string, Record<string, number>> = {};
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await DynamoDBDocumentClient.from(raw).send(
        new ScanCommand({
          TableName: 'AgentStateTable',
          FilterExpression: 'entity = :work AND #status = :waiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':work': 'work', ':waiting': 'waiting' },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        const queue = (counts[item.queue] ??= {});
        queue[item.priority] = (queue[item.priority] ?? 0) + 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    raw.destroy();
  }
  return counts;
}

/** Counts by queue and priority as one string, whatever order their keys came in. */
const canonical = (counts: Record<string, Record<string, number>>) =>
  JSON.stringify(
    Object.keys(counts)
      .sort()
      .map((queue) => [queue, Object.entries(counts[queue] ?? {}).sort()]),
  );

/**
 * Waits until GET /queues says what a recount of the work items says, for every queue (items of
 * earlier tests keep moving in the background, so one moment of agreement is what is asked).
 */
async function countsAgreeWithItems(when: string): Promise<Record<string, Record<string, number>>> {
  return eventually(
    `GET /queues to agree with the work items ${when}`,
    async () => {
      const before = await recountWaiting();
      const listed = (await api('GET', '/queues', 'admin')).body.items as {
        queue: string;
        waiting: number;
        waitingByPriority: Record<string, number>;
      }[];
      const after = await recountWaiting();
      const shown = Object.fromEntries(listed.filter((item) => item.waiting > 0).map((item) => [item.queue, item.waitingByPriority]));
      const agrees = (recount: Record<string, Record<string, number>>) =>
        canonical(recount) === canonical(shown) &&
        listed.every((item) => item.waiting === Object.values(item.waitingByPriority).reduce((sum, count) => sum + count, 0));
      return agrees(before) && agrees(after) ? shown : null;
    },
    45_000,
  );
}

describe('routing through the local runtime', () => {
  it('offers a new case to the eligible agent, who accepts it: the case is theirs, the decision is recorded', async () => {
    const ada = await agent('accept', { presence: 'offline' });
    await becomeAvailableWithDrainsDone(ada);
    const caseId = await openCase('accept');

    const offer = await offerTo(ada, caseId);
    const accepted = await api('POST', `/work/${offer.id}/accept`, ada);
    const record = await routingOf(caseId);
    const offered = await eventually('the work.offered event', async () =>
      (await eventsOf('work.offered')).find((event) => event.detail.caseId === caseId),
    );

    expect(offer).toMatchObject({ status: 'offered', owner: ada, weight: 20, language: 'fi', topic: 'accept' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.case).toMatchObject({ id: caseId, assigneeId: ada, status: 'open' });
    expect(accepted.body.work).toMatchObject({ status: 'accepted', owner: ada });
    expect((await loadOf(ada)).load).toBe(20);
    expect(record.decision).toMatchObject({
      winner: ada,
      step: {
        index: 0,
        requirements: [
          { skill: 'fi', minLevel: 5 },
          { skill: 'accept', minLevel: 5 },
        ],
      },
    });
    expect(record.decision.candidates.find((candidate: any) => candidate.agentId === ada)).toMatchObject({
      eligible: true,
      load: 0,
      capacity: 100,
    });
    // Demo agents serve the queue too; the record says why each could not take it.
    expect(record.decision.candidates.find((candidate: any) => candidate.agentId === 'anna.nowak').excludedBecause).toEqual(
      expect.arrayContaining(['presence offline', 'fi 0 < 5']),
    );
    expect(offered.detail).toMatchObject({ workId: offer.id, agentId: ada, offerId: offer.offerId });
    await eventually('the work.accepted event', async () =>
      (await eventsOf('work.accepted')).some((event) => event.detail.caseId === caseId),
    );
  });

  it('refuses an accept by anyone but the agent offered the work', async () => {
    const owner = await agent('owner');
    const other = await agent('other-topic');
    const caseId = await openCase('owner');
    const offer = await offerTo(owner, caseId);

    const byOther = await api('POST', `/work/${offer.id}/accept`, other);
    const unknown = await api('POST', '/work/no-such-work/accept', owner);

    expect(byOther.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect((await routingOf(caseId)).status).toBe('offered');
  });

  it('gives declined work to another agent, never back to the decliner first', async () => {
    const first = await agent('decline');
    const second = await agent('decline');
    const caseId = await openCase('decline');

    const offered = await eventually('an offer', async () => (await routingOf(caseId))?.owner ?? null);
    const decliner = offered as string;
    const other = decliner === first ? second : first;
    const declined = await api('POST', `/work/${caseId}/decline`, decliner);
    const reoffer = await offerTo(other, caseId);
    const record = await routingOf(caseId);

    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'waiting', owner: null, declinedBy: [decliner] });
    expect(reoffer.declinedBy).toEqual([decliner]);
    // Right after the decline the router leaves the decliner out; a backlog recheck may get there
    // first and rank them last instead. Either way the other agent wins.
    expect(record.decision.winner).toBe(other);
    expect(record.decision.candidates.find((candidate: any) => candidate.agentId === decliner)).toMatchObject({ declinedBefore: true });
    expect((await loadOf(decliner)).load).toBe(0);
    await eventually('the work.declined event', async () =>
      (await eventsOf('work.declined')).some((event) => event.detail.caseId === caseId && event.detail.agentId === decliner),
    );
  });

  it('takes back an offer nobody answers within the timeout, and sets that agent away', async () => {
    const absent = await agent('timeout');
    const caseId = await openCase('timeout');
    await offerTo(absent, caseId);

    const record = await eventually(
      'the offer to lapse',
      async () => {
        const current = await routingOf(caseId);
        return current.releaseReason === 'timed_out' ? current : null;
      },
      60_000,
    );
    const state = await loadOf(absent);
    const lateAccept = await api('POST', `/work/${caseId}/accept`, absent);

    expect(record).toMatchObject({ status: 'waiting', owner: null, declinedBy: [absent] });
    expect(state).toMatchObject({ presence: 'away', load: 0 });
    expect(lateAccept.status).toBe(422);
    await eventually('the work.timed_out event', async () =>
      (await eventsOf('work.timed_out')).some((event) => event.detail.caseId === caseId),
    );
  });

  it('keeps work in the backlog while nobody can take it, and drains it, urgent first, when an agent becomes available', async () => {
    const late = await agent('drain', { presence: 'offline' });
    const normal = [await openCase('drain'), await openCase('drain')];
    const urgent = await openCase('drain', { priority: 'urgent' });

    const records = await eventually('the three items in the backlog', async () => {
      const all = await Promise.all([...normal, urgent].map(routingOf));
      return all.every((record) => record?.status === 'waiting' && /backlog/.test(record.decision?.reason ?? '')) ? all : null;
    });
    const waiting = ((await api('GET', '/queues', 'admin')).body.items as any[]).find((item) => item.queue === 'customers');
    expect(records.map((record) => record.owner)).toEqual([null, null, null]);
    expect(waiting.waiting).toBeGreaterThanOrEqual(3);
    expect(waiting.waitingByPriority.urgent).toBeGreaterThanOrEqual(1);
    await presence(late, 'available');
    const offers = await eventually('three offers', async () => {
      const { offers: held } = await workOf(late);
      return held.length === 3 ? held : null;
    });

    expect(waiting.oldestWaitSeconds).toBeGreaterThanOrEqual(0);
    expect(offers.map((offer) => offer.caseId).sort()).toEqual([...normal, urgent].sort());
    // One drain reserved them in backlog order: urgent first, then the oldest.
    const byOfferTime = [...offers]
      .sort((a, b) => a.offeredAt.localeCompare(b.offeredAt) || a.offerId.localeCompare(b.offerId))
      .map((offer) => offer.caseId);
    expect(byOfferTime).toEqual([urgent, ...normal]);
    expect((await loadOf(late)).load).toBe(60);
  });

  it('frees a case’s weight exactly once when it is resolved and then closed', async () => {
    const agentId = await agent('release');
    const caseId = await openCase('release');
    await offerTo(agentId, caseId);
    const accepted = await api('POST', `/work/${caseId}/accept`, agentId);
    expect((await loadOf(agentId)).load).toBe(20);

    const resolved = await api('PATCH', `/cases/${caseId}`, agentId, { status: 'resolved', version: accepted.body.case.version });
    await eventually('the weight to be freed', async () => (await loadOf(agentId)).load === 0);
    const closed = await api('PATCH', `/cases/${caseId}`, agentId, { status: 'closed', version: resolved.body.version });
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(closed.status).toBe(200);
    expect((await loadOf(agentId)).load).toBe(0);
    expect(await routingOf(caseId)).toMatchObject({ status: 'done', owner: null, releaseReason: 'resolved' });
    expect((await eventsOf('work.released')).filter((event) => event.detail.caseId === caseId)).toHaveLength(1);
  });

  it('frees the weight when a supervisor reassigns the case, and routes it again when its agent gives it back', async () => {
    const first = await agent('reassign');
    const caseId = await openCase('reassign');
    await offerTo(first, caseId);
    const accepted = await api('POST', `/work/${caseId}/accept`, first);

    const byAgent = await api('PATCH', `/cases/${caseId}`, first, { assigneeId: 'tomasz.wojcik', version: accepted.body.case.version });
    const reassigned = await api('PATCH', `/cases/${caseId}`, 'supervisor-1', {
      assigneeId: 'tomasz.wojcik',
      version: accepted.body.case.version,
    });
    await eventually('the first agent’s weight to be freed', async () => (await loadOf(first)).load === 0);
    const afterReassign = await routingOf(caseId);
    const givenBack = await api('PATCH', `/cases/${caseId}`, 'supervisor-1', { assigneeId: null, version: reassigned.body.version });
    const reoffer = await offerTo(first, caseId);

    expect(byAgent.status).toBe(403);
    expect(reassigned.status).toBe(200);
    expect(afterReassign).toMatchObject({ status: 'done', owner: null, releaseReason: 'reassigned' });
    expect(givenBack.status).toBe(200);
    expect(reoffer).toMatchObject({ status: 'offered', owner: first });
  });

  it('never lets concurrent work push an agent past capacity', async () => {
    const agentId = await agent('capacity', { capacity: 100 });
    const cases = await Promise.all(Array.from({ length: 12 }, () => openCase('capacity')));

    const offers = await eventually('five offers', async () => {
      const { offers: held } = await workOf(agentId);
      return held.length >= 5 ? held : null;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { offers: after } = await workOf(agentId);
    const queue = ((await api('GET', '/queues', 'admin')).body.items as any[]).find((item) => item.queue === 'customers');

    expect(offers).toHaveLength(5);
    expect(after.length).toBeLessThanOrEqual(5);
    expect((await loadOf(agentId)).load).toBeLessThanOrEqual(100);
    expect(cases.every((id) => typeof id === 'string')).toBe(true);
    expect(queue.waiting).toBeGreaterThanOrEqual(7 - (5 - after.length));
  });

  it('lets exactly one of 20 agents claim one item, however they race (pulls and drains together)', async () => {
    const racers = await Promise.all(Array.from({ length: 20 }, () => agent('race', { presence: 'offline' })));
    const caseId = await openCase('race');
    await eventually('the item in the backlog', async () => (await routingOf(caseId))?.status === 'waiting');

    // Everyone becomes available (each starts a drain) and pulls at once.
    await Promise.all(racers.map((racer) => presence(racer, 'available')));
    const pulls = await Promise.all(racers.map((racer) => api('POST', '/queues/customers/next', racer)));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the drains the presences started settle
    // An offer lasts 15 s here, and then goes to someone else: reading twenty agents' work and load
    // can take longer than that on a busy machine. So the one holder accepts first; accepted work
    // does not expire, and what is checked below stays put however slowly it is read.
    const record = await eventually('the item held by one racer and accepted', async () => {
      const current = await routingOf(caseId);
      if (current?.status === 'accepted') return current;
      if (current?.status === 'offered') await api('POST', `/work/${current.id}/accept`, current.owner);
      return null;
    });
    const loads = await Promise.all(racers.map(async (racer) => (await loadOf(racer)).load as number));
    const holders = (await Promise.all(racers.map(async (racer) => ({ racer, work: await workOf(racer) })))).filter(({ work }) =>
      [...work.offers, ...work.accepted].some((held) => held.caseId === caseId),
    );

    expect(pulls.every((pull) => pull.status === 200)).toBe(true);
    expect(pulls.filter((pull) => pull.body.work?.caseId === caseId).length).toBeLessThanOrEqual(1);
    expect(holders.map((holder) => holder.racer)).toEqual([record.owner]);
    expect(loads.reduce((sum, load) => sum + load, 0)).toBe(20);
  });

  it('refuses a pull from an agent who is not available or does not serve the queue', async () => {
    const away = await agent('pull', { presence: 'offline' });

    const offline = await api('POST', '/queues/customers/next', away);
    await presence(away, 'available');
    const wrongQueue = await api('POST', '/queues/marketplace/next', away);
    const unknownQueue = await api('POST', '/queues/nowhere/next', away);

    expect(offline.status).toBe(422);
    expect(wrongQueue.status).toBe(403);
    expect(unknownQueue.status).toBe(400);
  });

  it('counts an Amazon Connect call against the agent’s capacity, and drains the backlog when it ends', async () => {
    const agentId = await agent('phone', { connectUsername: 'rt-phone-user' });
    const arn =
      'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555/agent/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const event = (state: string, at: string) => ({
      AWSAccountId: '123456789012',
      AgentARN: arn,
      EventId: `${state}-${at}`,
      EventType: 'STATE_CHANGE',
      EventTimestamp: at,
      InstanceARN: arn.split('/agent/')[0],
      Version: '2019-05-25',
      CurrentAgentSnapshot: {
        AgentStatus: { Name: 'Available', StartTimestamp: at },
        Configuration: {
          Username: 'rt-phone-user',
          FirstName: 'Routing',
          LastName: 'Tester',
          AgentHierarchyGroups: null,
          RoutingProfile: { Name: 'Basic' },
        },
        Contacts: [
          {
            ContactId: 'call-1',
            Channel: 'VOICE',
            State: state,
            StateStartTimestamp: at,
            InitiationMethod: 'INBOUND',
            Queue: { Name: 'BasicQueue' },
          },
        ],
      },
    });
    const deliver = (body: unknown) =>
      fetch(`${backend.apiUrl}/local/connect/agent-events`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      });

    const connected = await deliver(event('CONNECTED', new Date().toISOString()));
    expect(connected.status).toBe(200);
    await eventually('the call to count', async () => (await loadOf(agentId)).load === 100);
    const caseId = await openCase('phone');
    await eventually('the case to wait', async () => (await routingOf(caseId))?.status === 'waiting');
    const ended = await deliver(event('ENDED', new Date(Date.now() + 1000).toISOString()));
    const offer = await offerTo(agentId, caseId);

    expect(ended.status).toBe(200);
    expect(offer.owner).toBe(agentId);
    expect((await loadOf(agentId)).load).toBe(20);

    // A status set in Connect's CCP is the agent's presence here too: Lunch stops Switchboard's work.
    const lunch = event('ENDED', new Date(Date.now() + 2000).toISOString());
    lunch.CurrentAgentSnapshot.AgentStatus = { Name: 'Lunch', StartTimestamp: lunch.EventTimestamp };
    lunch.CurrentAgentSnapshot.Contacts = [];
    expect((await deliver(lunch)).status).toBe(200);
    await eventually('the agent to be away', async () => (await loadOf(agentId)).presence === 'away');
  });

  it('counts GET /queues from counters that match the work items after work is created, offered, declined, accepted and finished', async () => {
    const agentId = await agent('counters', { presence: 'offline' });
    const [first, second] = [await openCase('counters'), await openCase('counters')];
    const urgent = await openCase('counters', { priority: 'urgent' });
    await eventually('the three items in the backlog', async () =>
      (await Promise.all([first, second, urgent].map(routingOf))).every((record) => record?.status === 'waiting'),
    );
    const created = await countsAgreeWithItems('after creating');

    await presence(agentId, 'available');
    await Promise.all([first, second, urgent].map((caseId) => offerTo(agentId, caseId)));
    const offered = await countsAgreeWithItems('after offering');

    const accepted = await api('POST', `/work/${first}/accept`, agentId);
    const declined = await api('POST', `/work/${second}/decline`, agentId);
    await eventually('the declined item back in the backlog', async () => (await routingOf(second))?.status === 'waiting');
    const answered = await countsAgreeWithItems('after accepting and declining');

    const resolved = await api('PATCH', `/cases/${first}`, agentId, { status: 'resolved', version: accepted.body.case.version });
    await eventually('the resolved case’s work done', async () => (await routingOf(first))?.status === 'done');
    const finished = await countsAgreeWithItems('after finishing');

    expect([accepted.status, declined.status, resolved.status]).toEqual([200, 200, 200]);
    expect(created.customers?.urgent).toBeGreaterThanOrEqual(1);
    expect(offered).toBeDefined();
    expect(answered.customers?.normal).toBeGreaterThanOrEqual(1);
    expect(finished).toBeDefined();
  });
});
