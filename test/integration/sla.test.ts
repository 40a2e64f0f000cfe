import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendClient, eventually as eventuallyWithin } from '../support/backend-client.js';
import { type RunningBackend, startBackend } from '../support/local-process.js';

/**
 * SLA clocks end to end through the local runtime: cases opened and changed over HTTP move their
 * clocks through the cases stream and the SLA tracker; the relay starts the SLA timer state machine
 * that CDK synthesizes (not a copy) in the local Step Functions interpreter, which waits and calls
 * the real evaluator against DynamoDB Local; escalation notices go out through the outbox to the
 * SES stand-in, and `sla.*` events to the EventBridge stand-in.
 *
 * Waits are shortened with the time scale: 600 makes a business minute last 0.1 s, so this file's
 * policy (first response 60 min, resolution 120 min, warning at 50 %) breaches after 6 s and 12 s.
 * It runs on the 24/7 calendar, so the time of day the tests run at does not matter.
 */
const TIME_SCALE = 600;
const CATEGORY = 'sla-test';
let backend: RunningBackend;
let dataDir: string;
let sfn: SFNClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-sla-'));
  backend = await startBackend({ dataDir, reset: true, context: { 'switchboard:slaTimeScale': TIME_SCALE } });
  sfn = new SFNClient({
    endpoint: backend.stepFunctionsUrl,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const policy = await api('PUT', '/sla/policies/it-test-policy', 'admin', {
    description: 'this file’s cases',
    rank: 1,
    match: { categories: [CATEGORY] },
    targets: { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 120 },
    warningPercent: 50,
    calendar: '24x7',
  });
  expect(policy.status).toBe(200);
  const urgent = await api('PUT', '/sla/policies/it-test-urgent', 'admin', {
    description: 'this file’s urgent cases',
    rank: 0,
    match: { categories: [CATEGORY], priorities: ['urgent'] },
    targets: { firstResponseMinutes: 20, nextResponseMinutes: 20, resolutionMinutes: 60 },
    calendar: '24x7',
  });
  expect(urgent.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await backend?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const { api } = backendClient(() => backend);
/** SLA waits are seconds long at this scale: allow 30 s. */
const eventually = <T>(what: string, check: () => Promise<T | null | undefined | false>) => eventuallyWithin(what, check, 30_000, 200);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let caseCount = 0;
async function openCase(overrides: Record<string, unknown> = {}): Promise<any> {
  caseCount += 1;
  const created = await api('POST', '/cases', 'anna.nowak', {
    subject: `SLA test ${caseCount}`,
    description: 'Where is my order?',
    channel: 'email',
    customer: { email: `sla-${caseCount}-${Date.now()}@example.com`, name: 'Sla Tester' },
    category: CATEGORY,
    ...overrides,
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function slaOf(caseId: string): Promise<any> {
  const read = await api('GET', `/cases/${caseId}/sla`, 'supervisor-1');
  expect(read.status).toBe(200);
  return read.body;
}

const clockOf = (sla: any, milestone: string) => sla.clocks.find((clock: any) => clock.milestone === milestone);

async function timelineOf(caseId: string): Promise<any[]> {
  const read = await api('GET', `/cases/${caseId}/timeline?limit=100`, 'supervisor-1');
  return read.body.items;
}

async function slaEvents(caseId: string): Promise<{ detailType: string; detail: any }[]> {
  const response = await fetch(`${backend.eventsUrl}/events?source=switchboard.sla`);
  const { events } = (await response.json()) as { events: { detailType: string; detail: any }[] };
  return events.filter((event) => event.detail.caseId === caseId);
}

/** The SLA timer: the one state machine of the template. */
async function timerArn(): Promise<string> {
  const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
  const timer = stateMachines?.find((machine) => machine.name?.endsWith('-SlaTimer'));
  if (!timer?.stateMachineArn) throw new Error('the local Step Functions stand-in has no SLA timer');
  return timer.stateMachineArn;
}

async function executionsOf(caseId: string): Promise<{ name: string; status: string }[]> {
  const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: await timerArn(), maxResults: 1000 }));
  return (listed.executions ?? [])
    .filter((execution) => execution.name!.startsWith(caseId))
    .map((execution) => ({ name: execution.name!, status: execution.status! }));
}

describe('SLA policies and calendars over the API', () => {
  it('lists the built-in defaults with the stored edits, and versions each edit', async () => {
    const policies = await api('GET', '/sla/policies', 'anna.nowak');
    const names = policies.body.items.map((item: any) => item.name);
    expect(names).toEqual(expect.arrayContaining(['privacy-requests', 'urgent', 'vip', 'standard', 'it-test-policy']));
    expect(policies.body.items.find((item: any) => item.name === 'standard')).toMatchObject({ builtIn: true, version: 0 });

    const current = await api('GET', '/sla/policies/it-test-policy', 'anna.nowak');
    expect(current.body).toMatchObject({ version: 1, builtIn: false, updatedBy: 'admin', value: { calendar: '24x7', warningPercent: 50 } });

    const stale = await api('PUT', '/sla/policies/it-test-policy', 'admin', { ...current.body.value, name: undefined, version: 0 });
    expect(stale.status).toBe(409);

    const calendars = await api('GET', '/sla/calendars', 'anna.nowak');
    expect(calendars.body.items.map((item: any) => item.name)).toEqual(
      expect.arrayContaining(['24x7', 'warsaw-customer-service', 'warsaw-office', 'berlin-office']),
    );
  });

  it('refuses invalid documents with the field at fault, and edits by anyone but admins', async () => {
    const unknownCalendar = await api('PUT', '/sla/policies/bad', 'admin', {
      rank: 5,
      targets: { firstResponseMinutes: 10, nextResponseMinutes: null, resolutionMinutes: null },
      calendar: 'nowhere',
    });
    expect(unknownCalendar.status).toBe(400);
    expect(unknownCalendar.body.error.details.fields).toEqual([expect.objectContaining({ path: 'calendar' })]);

    const overlapping = await api('PUT', '/sla/calendars/bad', 'admin', {
      timeZone: 'Europe/Warsaw',
      weekly: {
        mon: [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '17:00' },
        ],
      },
    });
    expect(overlapping.status).toBe(400);
    expect(JSON.stringify(overlapping.body.error.details.fields)).toContain('weekly.mon');

    const byAgent = await api('PUT', '/sla/calendars/mine', 'anna.nowak', {
      timeZone: 'Europe/Warsaw',
      weekly: { mon: [{ start: '09:00', end: '17:00' }] },
    });
    expect(byAgent.status).toBe(403);
  });
});

describe('SLA clocks with the synthesized timer state machine', () => {
  it('a case left alone warns, breaches and is escalated exactly once', async () => {
    const c = await openCase();

    const breached = await eventually('the first response to breach', async () => {
      const sla = await slaOf(c.id);
      return clockOf(sla, 'first_response')?.state === 'breached' ? sla : null;
    });
    expect(breached.policy).toEqual({ name: 'it-test-policy', version: 1 });
    expect(clockOf(breached, 'first_response')).toMatchObject({ targetMinutes: 60, escalationLevel: 1, metAt: null });

    const escalated = await api('GET', `/cases/${c.id}`, 'supervisor-1');
    expect(escalated.body).toMatchObject({ priority: 'high', queue: 'escalations', assigneeId: null, slaState: 'breached' });
    // Routing takes it from there: its work item waits for a supervisor in the escalations backlog.
    const work = await eventually('the work item to move to the escalations backlog', async () => {
      const routing = await api('GET', `/cases/${c.id}/routing`, 'supervisor-1');
      return routing.body?.queue === 'escalations' ? routing.body : null;
    });
    expect(work).toMatchObject({ status: 'waiting', priority: 'high', owner: null });

    // A second timer for the same clock generation (as a duplicated start would be) acts on nothing.
    const clock = clockOf(breached, 'first_response');
    const timers = await executionsOf(c.id);
    const generation = Math.max(
      ...timers.filter((timer) => timer.name.includes('-fr-')).map((timer) => Number(timer.name.split('-').at(-1))),
    );
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: await timerArn(),
        name: `${c.id}-fr-duplicate`,
        input: JSON.stringify({
          caseId: c.id,
          milestone: 'first_response',
          cycle: clock.cycle,
          generation,
          wakeAt: new Date().toISOString(),
        }),
      }),
    );
    await eventually('the duplicate timer to end', async () =>
      (await executionsOf(c.id)).find((e) => e.name.endsWith('-fr-duplicate') && e.status === 'SUCCEEDED'),
    );

    const entries = await timelineOf(c.id);
    const firstResponseBreaches = entries.filter((entry) => entry.action === 'sla.breached' && entry.data.milestone === 'first_response');
    expect(firstResponseBreaches).toHaveLength(1);
    expect(firstResponseBreaches[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'priority', before: 'normal', after: 'high' },
        { field: 'queue', before: 'customers', after: 'escalations' },
      ]),
    );
    expect(entries.filter((entry) => entry.action === 'sla.warning' && entry.data.milestone === 'first_response')).toHaveLength(1);

    const events = await eventually('the sla events', async () => {
      const found = await slaEvents(c.id);
      return found.some((event) => event.detailType === 'sla.breached' && event.detail.milestone === 'first_response') ? found : null;
    });
    const firstResponse = events.filter((event) => event.detail.milestone === 'first_response');
    expect(firstResponse.map((event) => event.detailType).sort()).toEqual(['sla.breached', 'sla.warning']);
    expect(firstResponse.find((event) => event.detailType === 'sla.breached')?.detail).toMatchObject({ level: 1, caseNumber: c.number });

    // The supervisors of the case's queues hear of it by email, through the outbox.
    const notice = await eventually('the escalation email', async () => {
      const store = (await (await fetch(`${backend.sesUrl}/store`)).json()) as { emails: any[] };
      return store.emails.find((email) => String(email.subject).includes(`[${c.number}] SLA breached`));
    });
    // Both supervisors serve the customers and escalations queues (the SES stand-in joins the addresses).
    const to = (notice.destination.to as string[]).join(', ');
    expect(to).toContain('supervisor-1@switchboard.local');
    expect(to).toContain('supervisor-2@switchboard.local');

    const atRisk = await api('GET', '/sla/at-risk?queue=escalations', 'supervisor-1');
    expect(atRisk.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ caseId: c.id, state: 'breached', milestone: 'first_response' })]),
    );
    expect((await api('GET', '/sla/at-risk', 'anna.nowak')).status).toBe(403);
  }, 60_000);

  it('a case answered in time is met, and its timer is stopped', async () => {
    const c = await openCase();
    const reply = await api('POST', `/cases/${c.id}/replies`, 'anna.nowak', { body: 'We are on it.' });
    expect(reply.status).toBe(201);

    const met = await eventually('the first response to be met', async () => {
      const sla = await slaOf(c.id);
      return clockOf(sla, 'first_response')?.state === 'met' ? sla : null;
    });
    expect(clockOf(met, 'first_response').breachedAt).toBeNull();
    expect(met.metrics.firstResponseAt).not.toBeNull();

    const resolve = await api('PATCH', `/cases/${c.id}`, 'anna.nowak', {
      status: 'resolved',
      version: (await api('GET', `/cases/${c.id}`, 'anna.nowak')).body.version,
    });
    expect(resolve.status).toBe(200);
    await eventually('the resolution to be met', async () => clockOf(await slaOf(c.id), 'resolution')?.state === 'met');

    // Past every deadline: nothing breached, no escalation, and no timer left running.
    await sleep(13_000);
    const after = await slaOf(c.id);
    expect(after.clocks.map((clock: any) => clock.state).sort()).toEqual(['met', 'met']);
    expect((await timelineOf(c.id)).filter((entry) => entry.action.startsWith('sla.'))).toEqual([]);
    const executions = await executionsOf(c.id);
    expect(executions.length).toBeGreaterThan(0);
    expect(executions.filter((execution) => execution.status === 'RUNNING')).toEqual([]);
    expect((await slaEvents(c.id)).map((event) => event.detailType).sort()).toEqual(['sla.met', 'sla.met']);
  }, 60_000);

  it('a case paused past its due time does not breach, and its clock resumes where it stopped', async () => {
    const c = await openCase();
    const paused = await api('PATCH', `/cases/${c.id}`, 'anna.nowak', { status: 'pending', version: c.version });
    expect(paused.status).toBe(200);

    await sleep(8_000); // past the wall-clock due time (6 s after opening)
    const sla = await slaOf(c.id);
    const firstResponse = clockOf(sla, 'first_response');
    expect(firstResponse).toMatchObject({ state: 'paused', breachedAt: null, dueAt: null });
    expect(firstResponse.elapsedMinutes).toBeLessThan(30);
    expect(firstResponse.segments.map((segment: any) => [segment.running, segment.status])).toEqual([
      [true, 'new'],
      [false, 'pending'],
    ]);

    const resumed = await api('PATCH', `/cases/${c.id}`, 'anna.nowak', { status: 'open', version: paused.body.version });
    expect(resumed.status).toBe(200);
    const running = await eventually('the clock to run again', async () => {
      const clock = clockOf(await slaOf(c.id), 'first_response');
      return clock.state === 'running' ? clock : null;
    });
    // Due later than 6 s after opening by about the paused time: the elapsed time was kept.
    expect(Date.parse(running.dueAt) - Date.parse(c.createdAt)).toBeGreaterThan(12_000);
    expect(running.segments).toHaveLength(3);
  }, 60_000);

  it('a priority raised to urgent applies the urgent target to the time already elapsed', async () => {
    const c = await openCase();
    await eventually('the clock to start', async () => clockOf(await slaOf(c.id), 'first_response'));
    await sleep(1_000);
    const raised = await api('PATCH', `/cases/${c.id}`, 'anna.nowak', { priority: 'urgent', version: c.version });
    expect(raised.status).toBe(200);

    const clock = await eventually('the urgent policy to apply', async () => {
      const found = clockOf(await slaOf(c.id), 'first_response');
      return found.policy === 'it-test-urgent' ? found : null;
    });
    expect(clock.targetMinutes).toBe(20);
    // 20 business minutes at this scale are 2 s from the opening, not from the change.
    expect(Date.parse(clock.dueAt) - Date.parse(c.createdAt)).toBeLessThan(2_500);
    await eventually('the urgent target to breach', async () => clockOf(await slaOf(c.id), 'first_response').state === 'breached');
  }, 60_000);
});
