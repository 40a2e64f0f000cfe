import '#local/sdk-environment';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { Figure } from './report.js';
import { round } from './report.js';

/**
 * The cost of SLA tracking per case, measured on the real machinery: cases opened and changed over
 * the local API, the SLA tracker and relay on the cases stream, the synthesized timer state machine
 * in the local Step Functions interpreter, the evaluator against DynamoDB Local.
 *
 * It runs in a child process with its own backend, because it needs a time scale (600: a business
 * minute lasts 0.1 s) that must not touch the other benchmarks' cases. Its policy runs on the 24/7
 * calendar: first response 60 min, resolution 120 min, warning at 80 %.
 * - Met in time: a reply after about 10 policy minutes, resolved after about 90.
 * - Breached: left alone; first response and resolution both breach and escalate; resolved at
 *   about 150.
 * Beside it, in the same run, the polling design: every open case evaluated each minute, i.e.
 * one evaluation per case and policy minute open (from the same cases' lifetimes), and at least one
 * state transition per evaluation if a state machine drove it.
 */
const TIME_SCALE = 600;
const POLICY_MINUTE_MS = 60_000 / TIME_SCALE;
const CASES = Number(process.env.BENCH_SLA_CASES ?? 10);

/**
 * The environment as it was when the bench started, before the main bench's runtime set its
 * functions' variables (table names, endpoints, the time scale): the child's runtime sets its own.
 */
const launchEnvironment = { ...process.env };

export async function benchSla(): Promise<Figure[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'sla-bench.ts'), '--child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...launchEnvironment, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  const line = output.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`the SLA bench failed (exit ${code}):\n${output.slice(-4000)}`);
  return (JSON.parse(line) as { figures: Figure[] }).figures;
}

if (process.argv.includes('--child')) {
  const figures = await runChild();
  process.stdout.write(`\n${JSON.stringify({ figures })}\n`);
  process.exit(0);
}

interface Tally {
  reads: number;
  writes: number;
}

async function runChild(): Promise<Figure[]> {
  const { freePort } = await import('#local/free-port');
  const { startLocalRuntime } = await import('#local/runtime');
  const runtime = await startLocalRuntime({
    port: 0,
    sesPort: 0,
    smtpPort: 0,
    fauxqsPort: 0,
    dynamoDbPort: await freePort(),
    dataDir: null,
    reset: false,
    logRequests: false,
    context: { 'switchboard:slaTimeScale': TIME_SCALE },
  });
  try {
    const tally = await countSlaRequests();
    const sfn = new SFNClient({ endpoint: runtime.stepFunctionsUrl });
    const api = apiClient(runtime.apiUrl);
    const policy = await api('PUT', '/sla/policies/bench', 'admin', {
      rank: 1,
      match: { categories: ['bench-sla'] },
      targets: { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 120 },
      calendar: '24x7',
    });
    if (policy.status !== 200) throw new Error(`could not store the bench policy: ${JSON.stringify(policy.body)}`);

    const met = await scenario('met in time', tally, sfn, api, async (c) => {
      await sleepUntil(c.openedAt + 10 * POLICY_MINUTE_MS);
      await expectStatus(api('POST', `/cases/${c.id}/replies`, 'anna.nowak', { body: 'We are on it.' }), 201);
      await sleepUntil(c.openedAt + 90 * POLICY_MINUTE_MS);
      await resolveCase(api, c.id);
    });
    const timerArn = await timerOf(sfn);
    const breached = await scenario('breached', tally, sfn, api, async (c) => {
      // Both timers end on their own once their clock breached (this policy has no second level).
      // Watched through Step Functions, not the SLA API, whose reads would count as tracking's.
      await waitFor(`case ${c.id} to breach both clocks`, async () => {
        const listed = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: timerArn, statusFilter: 'SUCCEEDED', maxResults: 1000 }),
        );
        return (listed.executions ?? []).filter((execution) => execution.name?.startsWith(c.id)).length >= 2;
      });
      await sleepUntil(c.openedAt + 150 * POLICY_MINUTE_MS);
      await resolveCase(api, c.id);
    });

    const figure = (name: string, value: number, unit: string, target?: string): Figure => ({
      name,
      value: round(value),
      unit,
      ...(target ? { target } : {}),
    });
    return [
      figure('sla.met_in_time.transitions_per_case', met.transitions, 'count', '≤ 10'),
      figure('sla.met_in_time.evaluations_per_case', met.evaluations, 'count'),
      figure('sla.met_in_time.timers_per_case', met.executions, 'count'),
      figure('sla.met_in_time.dynamodb_reads_per_case', met.reads, 'count'),
      figure('sla.met_in_time.dynamodb_writes_per_case', met.writes, 'count'),
      figure('sla.met_in_time.polling_evaluations_per_case', met.openMinutes, 'count'),
      figure('sla.breached.transitions_per_case', breached.transitions, 'count'),
      figure('sla.breached.evaluations_per_case', breached.evaluations, 'count'),
      figure('sla.breached.timers_per_case', breached.executions, 'count'),
      figure('sla.breached.dynamodb_reads_per_case', breached.reads, 'count'),
      figure('sla.breached.dynamodb_writes_per_case', breached.writes, 'count'),
      figure('sla.breached.polling_evaluations_per_case', breached.openMinutes, 'count'),
      figure('sla.met_in_time.transitions_vs_polling', met.transitions / met.openMinutes, 'ratio'),
      figure('sla.breached.transitions_vs_polling', breached.transitions / breached.openMinutes, 'ratio'),
    ];
  } finally {
    await runtime.stop();
  }
}

type Api = ReturnType<typeof apiClient>;

/** Opens CASES cases, lets `life` run each to its end, waits for every timer to finish, and counts. */
async function scenario(
  name: string,
  tally: Tally,
  sfn: SFNClient,
  api: Api,
  life: (c: { id: string; openedAt: number }) => Promise<void>,
) {
  const before = { ...tally };
  const opened = await Promise.all(
    Array.from({ length: CASES }, async (_, i) => {
      const created = await api('POST', '/cases', 'anna.nowak', {
        subject: `SLA bench ${name} ${i}`,
        description: 'Where is my order?',
        channel: 'email',
        customer: { email: `sla-bench-${name.replace(/\W/g, '')}-${i}-${Date.now()}@example.com` },
        category: 'bench-sla',
      });
      if (created.status !== 201) throw new Error(`could not open a bench case: ${JSON.stringify(created.body)}`);
      return { id: created.body.id as string, openedAt: Date.parse(created.body.createdAt as string) };
    }),
  );
  await Promise.all(opened.map((c) => life(c)));
  const closedAt = Date.now();
  const timerArn = await timerOf(sfn);
  const mine = async () => {
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: timerArn, maxResults: 1000 }));
    return (listed.executions ?? []).filter((execution) => opened.some((c) => execution.name?.startsWith(c.id)));
  };
  await waitFor(`the ${name} timers to end`, async () => (await mine()).every((execution) => execution.status !== 'RUNNING'));
  // Let the last stream records (the records' own changes) settle before the requests are read.
  await new Promise((done) => setTimeout(done, 1_500));
  let transitions = 0;
  let evaluations = 0;
  const executions = await mine();
  for (const execution of executions) {
    const events = await historyOf(sfn, execution.executionArn!);
    transitions += events.filter((event) => event.type?.endsWith('StateEntered')).length;
    evaluations += events.filter((event) => event.type === 'TaskStateEntered').length;
  }
  const openMs = opened.reduce((sum, c) => sum + (closedAt - c.openedAt), 0) / opened.length;
  return {
    transitions: transitions / CASES,
    evaluations: evaluations / CASES,
    executions: executions.length / CASES,
    reads: (tally.reads - before.reads) / CASES,
    writes: (tally.writes - before.writes) / CASES,
    openMinutes: Math.round(openMs / POLICY_MINUTE_MS),
  };
}

async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function timerOf(sfn: SFNClient): Promise<string> {
  const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
  const arn = stateMachines?.find((machine) => machine.name?.endsWith('-SlaTimer'))?.stateMachineArn;
  if (!arn) throw new Error('the template has no SLA timer state machine');
  return arn;
}

/**
 * Counts the DynamoDB requests of SLA tracking on the functions' shared client: those that name the
 * SLA configuration, an SLA record, or the case's SLA flag. (The evaluator's one staff read on a
 * breach goes to the agent-state table's staff list, which routing reads too: not counted.)
 */
async function countSlaRequests(): Promise<Tally> {
  const { dynamoDocumentClient } = await import('#platform/adapters/dynamodb/client');
  const tally: Tally = { reads: 0, writes: 0 };
  dynamoDocumentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = JSON.stringify(args.input);
      const read = /Get|Query/.test(String(context.commandName));
      // Reads of the configuration or a record; writes of a record (with any case change) or of the flag alone.
      if (read && /"SLA_CONFIG"|"SK":"SLA"/.test(input)) tally.reads += 1;
      else if (!read && /"entity":"sla"|SET slaState/.test(input)) tally.writes += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchSlaRequestCounter' },
  );
  return tally;
}

function apiClient(apiUrl: string) {
  const tokens = new Map<string, string>();
  return async (method: string, path: string, as: string, body?: unknown): Promise<{ status: number; body: any }> => {
    let token = tokens.get(as);
    if (!token) {
      const issued = await fetch(`${apiUrl}/local/token`, {
        method: 'POST',
        body: JSON.stringify({ username: as }),
        headers: { 'Content-Type': 'application/json' },
      });
      token = ((await issued.json()) as { token: string }).token;
      tokens.set(as, token);
    }
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

async function expectStatus(call: Promise<{ status: number; body: unknown }>, status: number): Promise<void> {
  const response = await call;
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
}

async function resolveCase(api: Api, caseId: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await api('GET', `/cases/${caseId}`, 'supervisor-1');
    const resolved = await api('PATCH', `/cases/${caseId}`, 'supervisor-1', { status: 'resolved', version: current.body.version });
    if (resolved.status === 200) return;
    // The evaluator or the tracker changed the case meanwhile (escalation, flag): read it again.
    if (resolved.status !== 409) throw new Error(`could not resolve ${caseId}: ${JSON.stringify(resolved.body)}`);
  }
  throw new Error(`could not resolve ${caseId}: it kept changing`);
}

async function sleepUntil(at: number): Promise<void> {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}
