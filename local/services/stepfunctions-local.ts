/**
 * A local stand-in for AWS Step Functions (Standard workflows, JSONPath) behind the AWS JSON 1.0
 * protocol as `@aws-sdk/client-sfn` speaks it (`POST /`, `X-Amz-Target: AWSStepFunctions.<Operation>`):
 * StartExecution, StopExecution, DescribeExecution, ListExecutions, GetExecutionHistory,
 * DescribeStateMachine and ListStateMachines. Executions are run for real by `aws-local-stepfunctions`
 * with real time; every Task state is run here: `arn:aws:states:::lambda:invoke` and plain Lambda
 * function ARNs call `invokeFunction`, other resources are refused when the machine is registered.
 *
 * Where the library differs from AWS, the definition is adjusted before it runs (the registered text,
 * which DescribeStateMachine returns, is unchanged):
 * - Node timers fire at once past 2^31-1 ms (~24.8 days), so a machine `TimeoutSeconds` above that is
 *   dropped and a Task's is capped there. A Task without `TimeoutSeconds` gets that cap too: AWS has
 *   no default task timeout, the library would use 60 s.
 * - A Wait state (at the top level) that would sleep longer than that is slept here instead: the
 *   library's run is dropped and a new run starts at that Wait a day before it ends. The library
 *   has already armed its timer by then, so Node prints a TimeoutOverflowWarning (once per process).
 *   Waits inside Parallel or Map states, or whose path this module cannot follow (`$$.…`, filters),
 *   are not caught: keep them under 24 days.
 *
 * Persistence (when `dataDir` is given): every execution (name, ARN, input, status, dates, output or
 * error, history) is kept in `<dataDir>/executions.json`, rewritten atomically (temporary file and
 * rename) at most every 200 ms while anything changes, and at `stop()`. A crash (not a clean stop)
 * loses at most the last 200 ms: an execution started in that window is forgotten, one that ended in
 * it is replayed. `stop()` leaves running executions RUNNING; on the next start `resumeExecutions()`
 * runs each again **from the machine's start state with its original input** (same ARN and name;
 * its history gets an `ExecutionRestarted` event, a local-only type, and then the replay's events).
 * The library cannot restore a run in the middle, and replaying from the start is acceptable for the
 * SLA timer: it starts with a Wait until an absolute timestamp (in the past by now: it goes on at
 * once) and its evaluation is idempotent, so running it again does no harm. Any other state machine
 * run here must be just as safe to replay.
 */
import type { Server } from 'node:http';
import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { StateMachine } from 'aws-local-stepfunctions';
import { startAwsJsonService } from './aws-json-service.js';
import { type ApiContext, stepFunctionsOperations } from './stepfunctions-api.js';
import { MAX_TIMER_MS, prepareDefinition } from './stepfunctions-definition.js';
import { ExecutionStore, label, RESTARTED, transitions } from './stepfunctions-executions.js';
import { ExecutionRunner } from './stepfunctions-runner.js';

// aws-local-stepfunctions calls Promise.withResolvers (ES2024, Node 22+); Node 20 lacks it.
const promiseStatics = Promise as unknown as {
  withResolvers?: () => { promise: Promise<unknown>; resolve: (value: unknown) => void; reject: (reason: unknown) => void };
};
if (typeof promiseStatics.withResolvers !== 'function') {
  promiseStatics.withResolvers = () => {
    let resolve!: (value: unknown) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<unknown>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    return { promise, resolve, reject };
  };
}

export interface StepFunctionsLocalOptions {
  /** 0 picks a free port. */
  port: number;
  /** Runs a Lambda function (name or ARN, as the Task state names it) with a payload; a throw fails the task. */
  invokeFunction(functionNameOrArn: string, payload: unknown): Promise<unknown>;
  /** Where executions persist; null keeps them in memory. */
  dataDir: string | null;
  region?: string;
  account?: string;
  /** One line per execution started, resumed, ended or aborted. */
  log?: (line: string) => void;
  /** Waits longer than this are slept by the stand-in rather than the library; only tests lower it. */
  longWaitMs?: number;
}

export interface StateMachineSummary {
  name: string;
  arn: string;
  /** How many executions there are, by status. */
  executions: Partial<Record<ExecutionStatus, number>>;
}

export interface StepFunctionsLocal {
  server: Server;
  /** `http://127.0.0.1:<port>`: the SDK endpoint (`AWS_ENDPOINT_URL_SFN`). */
  url: string;
  /**
   * Adds (or replaces) a Standard state machine; returns its ARN,
   * `arn:aws:states:<region>:<account>:stateMachine:<name>`. Throws when the definition is invalid,
   * uses JSONata or `Assign`, or has a Task whose resource the stand-in cannot run.
   */
  registerStateMachine(machine: { name: string; definition: unknown; roleArn?: string }): string;
  /** Runs again, from the start, the persisted executions still RUNNING whose machine is registered; returns how many. */
  resumeExecutions(): number;
  stateMachines(): StateMachineSummary[];
  /** State transitions of an execution so far: its `*StateEntered` history events. */
  stateTransitions(executionArn: string): number;
  /** Stops the running executions without closing them (they resume on the next start) and the server. */
  stop(): Promise<void>;
}

/** What the stand-in keeps while it runs. */
interface StandIn extends ApiContext {
  stopped: boolean;
}

/** Starts the stand-in; persisted executions are loaded but run only once `resumeExecutions()` is called. */
export async function startStepFunctionsLocal(options: StepFunctionsLocalOptions): Promise<StepFunctionsLocal> {
  const log = options.log ?? (() => undefined);
  const store = new ExecutionStore(options.dataDir, log);
  const region = options.region ?? 'eu-central-1';
  const standIn: StandIn = {
    region,
    account: options.account ?? '000000000000',
    log,
    machines: new Map(),
    store,
    runner: new ExecutionRunner({
      store,
      invokeFunction: (target, payload) => options.invokeFunction(target, payload),
      region,
      log,
      longWaitMs: Math.min(options.longWaitMs ?? MAX_TIMER_MS, MAX_TIMER_MS),
      isStopped: () => standIn.stopped,
    }),
    stopped: false,
  };

  const service = await startAwsJsonService({
    port: options.port,
    name: 'Step Functions',
    logTag: '[sfn]',
    contentType: 'application/x-amz-json-1.0',
    targetPrefix: 'AWSStepFunctions.',
    operations: stepFunctionsOperations(standIn),
    internalErrorType: 'InternalFailure',
  });

  return {
    server: service.server,
    url: service.url,
    registerStateMachine: (machine) => registerStateMachine(standIn, machine),
    resumeExecutions: () => resumeExecutions(standIn),
    stateMachines: () => summaries(standIn),
    stateTransitions: (executionArn) => {
      const record = store.records.get(executionArn);
      if (!record) throw new Error(`no execution ${executionArn}`);
      return transitions(record);
    },
    stop: async () => {
      if (standIn.stopped) return;
      standIn.stopped = true;
      // Dropped, not aborted: they stay RUNNING in the file and are replayed on the next start.
      for (const record of store.records.values()) if (store.runOf(record.executionArn)) store.dropRun(record);
      store.saveNow();
      await service.close();
    },
  };
}

function registerStateMachine(
  standIn: StandIn,
  { name, definition, roleArn }: { name: string; definition: unknown; roleArn?: string },
): string {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new Error(`state machine name '${name}' is not valid`);
  const { prepared, tasks } = prepareDefinition(definition, name);
  let machine: StateMachine;
  try {
    machine = new StateMachine(prepared);
  } catch (error) {
    throw new Error(`state machine ${name}: ${(error as Error).message}`);
  }
  const arn = `arn:aws:states:${standIn.region}:${standIn.account}:stateMachine:${name}`;
  standIn.machines.set(arn, {
    name,
    arn,
    roleArn: roleArn ?? `arn:aws:iam::${standIn.account}:role/${name}-role`,
    text: JSON.stringify(definition),
    creationDate: standIn.machines.get(arn)?.creationDate ?? Date.now(),
    prepared,
    tasks,
    machine,
    startingAt: new Map(),
  });
  return arn;
}

function resumeExecutions({ store, machines, runner, log }: StandIn): number {
  let resumed = 0;
  for (const record of store.records.values()) {
    const machine = machines.get(record.stateMachineArn);
    const run = store.runOf(record.executionArn);
    if (record.status !== 'RUNNING' || !machine || run?.abort || run?.timer) continue;
    store.append(record, { type: RESTARTED });
    log(`[sfn] ${label(record)} resumed from the start after a restart`);
    runner.launch(record, machine, null);
    resumed += 1;
  }
  const orphans = [...store.records.values()].filter(
    (record) => record.status === 'RUNNING' && !machines.has(record.stateMachineArn),
  ).length;
  if (orphans > 0) log(`[sfn] ${orphans} running execution(s) of state machines no longer in the template stay as they were`);
  return resumed;
}

function summaries({ store, machines }: StandIn): StateMachineSummary[] {
  return [...machines.values()].map((machine) => {
    const counts: Partial<Record<ExecutionStatus, number>> = {};
    for (const record of store.records.values()) {
      if (record.stateMachineArn === machine.arn) counts[record.status] = (counts[record.status] ?? 0) + 1;
    }
    return { name: machine.name, arn: machine.arn, executions: counts };
  });
}
