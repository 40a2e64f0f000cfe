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
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  GetExecutionHistoryOutput,
  HistoryEvent,
  ListExecutionsOutput,
  ListStateMachinesOutput,
  StartExecutionOutput,
  StateMachineListItem,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { AwsJsonError, startAwsJsonService } from './aws-json-service.js';

/** The longest delay a Node timer takes; longer ones fire after 1 ms (with a TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
/** Executions: name length and characters (stricter than AWS, which also allows some punctuation and non-ASCII letters). */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** StartExecution input limit, in UTF-8 bytes. */
const MAX_INPUT_BYTES = 256 * 1024;
/** Changes are written this long after the first unsaved one (one rewrite of the whole file). */
const SAVE_DELAY_MS = 200;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

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

type JsonValue = Parameters<StateMachine['run']>[0];
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type Json = Record<string, unknown>;

/** An SDK shape as it travels in awsJson1_0: timestamps are epoch seconds. */
type Wire<T> = T extends Date ? number : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** The local-only history event marking a replay after a restart. */
const RESTARTED = 'ExecutionRestarted';

/** A history event as kept: the SDK shape, with the timestamp in epoch milliseconds. */
type StoredEvent = Omit<Wire<HistoryEvent>, 'timestamp' | 'type'> & {
  timestamp: number;
  type: NonNullable<HistoryEvent['type']> | typeof RESTARTED;
};

interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** The input exactly as StartExecution got it. */
  input: string;
  status: ExecutionStatus;
  /** Epoch milliseconds. */
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  history: StoredEvent[];
}

/** What a Task state runs: the Lambda invoke integration, or a function ARN as the resource. */
type TaskTarget = { kind: 'invoke' } | { kind: 'function'; arn: string };

interface MachineRecord {
  name: string;
  arn: string;
  roleArn: string;
  /** The definition as registered, for DescribeStateMachine. */
  text: string;
  creationDate: number;
  /** The adjusted definition the library runs. */
  prepared: StateMachineDefinition;
  tasks: Map<string, TaskTarget>;
  machine: StateMachine;
  /** The same machine starting at another top-level state, for runs resumed after a long wait. */
  startingAt: Map<string, StateMachine>;
}

/** An execution's run in this process; `generation` changes whenever the current run is dropped. */
interface LiveRun {
  generation: number;
  abort: (() => void) | null;
  timer: { clear(): void } | null;
}

/** Starts the stand-in; persisted executions are loaded but run only once `resumeExecutions()` is called. */
export async function startStepFunctionsLocal(options: StepFunctionsLocalOptions): Promise<StepFunctionsLocal> {
  const region = options.region ?? 'eu-central-1';
  const account = options.account ?? '000000000000';
  const log = options.log ?? (() => undefined);
  const longWaitMs = Math.min(options.longWaitMs ?? MAX_TIMER_MS, MAX_TIMER_MS);
  const machines = new Map<string, MachineRecord>();
  const executions = new Map<string, ExecutionRecord>();
  const live = new Map<string, LiveRun>();
  const file = options.dataDir ? join(options.dataDir, 'executions.json') : null;
  let stopped = false;

  if (file && existsSync(file)) {
    let saved: { executions?: ExecutionRecord[] };
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as { executions?: ExecutionRecord[] };
    } catch (error) {
      throw new Error(`the Step Functions stand-in cannot read ${file}: ${(error as Error).message} (start with --reset to drop it)`);
    }
    for (const record of saved.executions ?? []) executions.set(record.executionArn, record);
  }

  let saveTimer: NodeJS.Timeout | null = null;
  const saveNow = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    if (!file || !options.dataDir) return;
    mkdirSync(options.dataDir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ executions: [...executions.values()] }));
    renameSync(temporary, file);
  };
  const saveSoon = () => {
    if (!file || saveTimer) return;
    saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
    saveTimer.unref();
  };

  const liveOf = (record: ExecutionRecord): LiveRun => {
    let run = live.get(record.executionArn);
    if (!run) {
      run = { generation: 0, abort: null, timer: null };
      live.set(record.executionArn, run);
    }
    return run;
  };
  /** Drops the current run of an execution: its events and task calls are ignored from now on. */
  const dropRun = (record: ExecutionRecord) => {
    const run = liveOf(record);
    run.generation += 1;
    run.abort?.();
    run.abort = null;
    run.timer?.clear();
    run.timer = null;
  };

  const append = (record: ExecutionRecord, event: Omit<StoredEvent, 'id' | 'previousEventId' | 'timestamp'>) => {
    const id = record.history.length + 1;
    record.history.push({ id, previousEventId: id - 1, timestamp: Date.now(), ...event } as StoredEvent);
    saveSoon();
  };
  const label = (record: ExecutionRecord) => `${machineNameOf(record.stateMachineArn)}/${record.name}`;
  const transitions = (record: ExecutionRecord) => record.history.filter((event) => event.type.endsWith('StateEntered')).length;

  const close = (
    record: ExecutionRecord,
    status: ExecutionStatus,
    ending: Omit<StoredEvent, 'id' | 'previousEventId' | 'timestamp'>,
    fields: Partial<ExecutionRecord>,
  ) => {
    record.status = status;
    record.stopDate = Date.now();
    Object.assign(record, fields);
    append(record, ending);
    liveOf(record).abort = null;
    const reason = record.error ? ` (${record.error}${record.cause ? `: ${truncate(record.cause, 200)}` : ''})` : '';
    const count = transitions(record);
    log(
      `[sfn] ${label(record)} ${status.toLowerCase().replace('_', ' ')} after ${count} state transition${count === 1 ? '' : 's'}${reason}`,
    );
  };

  /** `invokeFunction`, whose synchronous throws become rejections too. */
  const invoke = (target: string, payload: unknown): Promise<unknown> =>
    Promise.resolve().then(() => options.invokeFunction(target, payload));

  /** The Task states' handlers for one run: each calls `invokeFunction` and records the task's events. */
  const taskHandlers = (record: ExecutionRecord, machine: MachineRecord, generation: number): TaskHandlers =>
    Object.fromEntries(
      [...machine.tasks].map(([stateName, target]) => [
        stateName,
        async (input: JsonValue): Promise<JsonValue> => {
          // The library hands us the task before its TaskStateEntered reaches the history: let it.
          await new Promise((resolveTurn) => setImmediate(resolveTurn));
          if (liveOf(record).generation !== generation) throw namedError('States.Runtime', 'the execution was stopped');
          const current = () => liveOf(record).generation === generation;
          if (target.kind === 'function') {
            append(record, {
              type: 'LambdaFunctionScheduled',
              lambdaFunctionScheduledEventDetails: {
                resource: target.arn,
                input: JSON.stringify(input),
                inputDetails: { truncated: false },
              },
            });
            append(record, { type: 'LambdaFunctionStarted' });
            const result = jsonCopy(await invoke(target.arn, jsonCopy(input)).catch((error: unknown) => Promise.reject(taskError(error))));
            if (current())
              append(record, {
                type: 'LambdaFunctionSucceeded',
                lambdaFunctionSucceededEventDetails: { output: JSON.stringify(result), outputDetails: { truncated: false } },
              });
            return result as JsonValue;
          }
          const parameters = (input ?? {}) as Json;
          const details = { resourceType: 'lambda', resource: 'invoke' };
          append(record, {
            type: 'TaskScheduled',
            taskScheduledEventDetails: { ...details, region, parameters: JSON.stringify(parameters) },
          });
          append(record, { type: 'TaskStarted', taskStartedEventDetails: details });
          if (typeof parameters.FunctionName !== 'string') {
            throw namedError('Lambda.InvalidParameterValueException', 'the lambda:invoke parameters have no FunctionName string');
          }
          const payload = parameters.Payload === undefined ? {} : jsonCopy(parameters.Payload);
          let output: Json;
          if (parameters.InvocationType === 'Event') {
            // Asynchronous invocation: Lambda answers 202 at once; the function's outcome is not the task's.
            invoke(parameters.FunctionName, payload).catch((error: unknown) =>
              log(`[sfn] ${label(record)}: asynchronous ${parameters.FunctionName} failed: ${String(error)}`),
            );
            output = lambdaInvokeOutput('', 202);
          } else {
            const result = await invoke(parameters.FunctionName, payload).catch((error: unknown) => Promise.reject(taskError(error)));
            output = lambdaInvokeOutput(jsonCopy(result), 200);
          }
          if (current())
            append(record, {
              type: 'TaskSucceeded',
              taskSucceededEventDetails: { ...details, output: JSON.stringify(output), outputDetails: { truncated: false } },
            });
          return output as JsonValue;
        },
      ]),
    );

  /**
   * Runs an execution with the library from its start state, or from a top-level state with that
   * state's input (after a long wait), and records the run's events in its history.
   */
  const launch = (record: ExecutionRecord, machine: MachineRecord, from: { stateName: string; input: unknown } | null) => {
    const run = liveOf(record);
    run.generation += 1;
    const generation = run.generation;
    let startingAt = machine.machine;
    if (from) {
      startingAt =
        machine.startingAt.get(from.stateName) ??
        new StateMachine({ ...machine.prepared, StartAt: from.stateName }, { validationOptions: { noValidate: true } });
      machine.startingAt.set(from.stateName, startingAt);
    }
    const execution = startingAt.run((from ? from.input : JSON.parse(record.input)) as JsonValue, {
      overrides: { taskResourceLocalHandlers: taskHandlers(record, machine, generation) },
      context: {
        Execution: { Id: record.executionArn, Name: record.name, RoleArn: machine.roleArn },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    // Outcomes are read from the event log; an aborted or failed run's promise must not go unhandled.
    execution.result.catch(() => undefined);
    run.abort = execution.abort;
    void follow(record, machine, generation, execution.eventLogs, from?.stateName ?? null);
  };

  /**
   * Turns a run's event log into history and status. It runs in microtasks right after each event,
   * so everything here stays synchronous: a long Wait must be caught before the library's
   * overflowed 1 ms timer fires.
   */
  const follow = async (
    record: ExecutionRecord,
    machine: MachineRecord,
    generation: number,
    events: AsyncGenerator<EventLog>,
    resumedAt: string | null,
  ) => {
    let skipEntered = resumedAt;
    for await (const event of events) {
      if (liveOf(record).generation !== generation || record.status !== 'RUNNING') return;
      switch (event.type) {
        case 'StateEntered': {
          // A run resumed at a Wait re-enters a state the history already has.
          if (skipEntered !== null && event.state.name === skipEntered && event.index === undefined) {
            skipEntered = null;
            break;
          }
          skipEntered = null;
          append(record, {
            type: `${event.state.type}StateEntered` as StoredEvent['type'],
            stateEnteredEventDetails: {
              name: event.state.name,
              input: JSON.stringify(event.state.input ?? null),
              inputDetails: { truncated: false },
            },
          });
          const state = machine.prepared.States[event.state.name];
          if (state?.Type === 'Wait' && event.index === undefined) {
            const until = waitUntil(state as unknown as Json, event.state.input);
            if (until !== null && until - Date.now() > longWaitMs) {
              sleepLong(record, machine, event.state.name, event.state.input, until);
              return;
            }
          }
          break;
        }
        case 'StateExited':
          append(record, {
            type: `${event.state.type}StateExited` as StoredEvent['type'],
            stateExitedEventDetails: {
              name: event.state.name,
              output: JSON.stringify(event.state.output ?? null),
              outputDetails: { truncated: false },
            },
          });
          break;
        case 'StateFailed': {
          const target = event.state.type === 'Task' ? machine.tasks.get(event.state.name) : undefined;
          if (!target) break; // other states fail the execution (or are caught) without an event of their own
          const failure = { error: event.Error, cause: causeText(event.Cause) };
          const timedOut = event.Error === 'States.Timeout';
          if (target.kind === 'function') {
            append(
              record,
              timedOut
                ? { type: 'LambdaFunctionTimedOut', lambdaFunctionTimedOutEventDetails: failure }
                : { type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: failure },
            );
          } else {
            const details = { resourceType: 'lambda', resource: 'invoke', ...failure };
            append(
              record,
              timedOut
                ? { type: 'TaskTimedOut', taskTimedOutEventDetails: details }
                : { type: 'TaskFailed', taskFailedEventDetails: details },
            );
          }
          break;
        }
        case 'MapIterationStarted':
        case 'MapIterationSucceeded':
        case 'MapIterationFailed': {
          const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails` as 'mapIterationStartedEventDetails';
          append(record, { type: event.type, [key]: { name: event.parentState.name, index: event.index } });
          break;
        }
        case 'ExecutionSucceeded':
          close(
            record,
            'SUCCEEDED',
            {
              type: 'ExecutionSucceeded',
              executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null), outputDetails: { truncated: false } },
            },
            { output: JSON.stringify(event.output ?? null) },
          );
          return;
        case 'ExecutionFailed': {
          const failure = { error: event.Error, cause: causeText(event.Cause) };
          close(record, 'FAILED', { type: 'ExecutionFailed', executionFailedEventDetails: failure }, failure);
          return;
        }
        case 'ExecutionTimeout':
          close(
            record,
            'TIMED_OUT',
            { type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } },
            { error: 'States.Timeout' },
          );
          return;
        default:
          // ExecutionStarted is recorded by StartExecution; aborts are ours; retries, catches and
          // Parallel branches have no history event of their own in AWS.
          break;
      }
    }
  };

  /** Drops the library's run at a Wait longer than a Node timer and starts a new one at that Wait shortly before it ends. */
  const sleepLong = (record: ExecutionRecord, machine: MachineRecord, stateName: string, input: unknown, until: number) => {
    dropRun(record);
    log(
      `[sfn] ${label(record)} waits in ${stateName} until ${new Date(until).toISOString()}, longer than a Node timer: the stand-in sleeps it (Node's TimeoutOverflowWarning about it is harmless)`,
    );
    const run = liveOf(record);
    const generation = run.generation;
    run.timer = setLongTimeout(until - Math.min(24 * 3600 * 1000, Math.floor(longWaitMs / 2)), () => {
      run.timer = null;
      if (liveOf(record).generation === generation && record.status === 'RUNNING' && !stopped)
        launch(record, machine, { stateName, input });
    });
  };

  const machineOf = (arn: unknown, parameter = 'stateMachineArn'): MachineRecord => {
    if (typeof arn !== 'string' || arn === '')
      throw new AwsJsonError(
        'ValidationException',
        `1 validation error detected: Value null at '${parameter}' failed to satisfy constraint: Member must not be null`,
      );
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(arn))
      throw new AwsJsonError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    const machine = machines.get(arn);
    if (!machine) throw new AwsJsonError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  };
  const executionOf = (arn: unknown): ExecutionRecord => {
    if (typeof arn !== 'string' || arn === '')
      throw new AwsJsonError(
        'ValidationException',
        "1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null",
      );
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn))
      throw new AwsJsonError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    const record = executions.get(arn);
    if (!record) throw new AwsJsonError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  };

  const startExecution = (input: Json): Wire<StartExecutionOutput> => {
    const machine = machineOf(input.stateMachineArn);
    const name = input.name === undefined || input.name === null ? randomUUID() : input.name;
    if (typeof name !== 'string' || !EXECUTION_NAME.test(name)) throw new AwsJsonError('InvalidName', `Invalid Name: '${String(name)}'`);
    const text = input.input === undefined || input.input === null ? '{}' : input.input;
    if (typeof text !== 'string')
      throw new AwsJsonError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input must be a JSON text');
    if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) {
      throw new AwsJsonError(
        'ValidationException',
        `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_BYTES}`,
      );
    }
    try {
      JSON.parse(text);
    } catch (error) {
      throw new AwsJsonError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    const executionArn = `arn:aws:states:${region}:${account}:execution:${machine.name}:${name}`;
    const existing = executions.get(executionArn);
    if (existing) {
      // Standard workflows: the same name and input while running is the same execution; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === text) return { executionArn, startDate: existing.startDate / 1000 };
      throw new AwsJsonError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input: text,
      status: 'RUNNING',
      startDate: Date.now(),
      history: [],
    };
    executions.set(executionArn, record);
    append(record, {
      type: 'ExecutionStarted',
      executionStartedEventDetails: { input: text, inputDetails: { truncated: false }, roleArn: machine.roleArn },
    });
    log(`[sfn] ${label(record)} started`);
    launch(record, machine, null);
    return { executionArn, startDate: record.startDate / 1000 };
  };

  const stopExecution = (input: Json): Wire<StopExecutionOutput> => {
    const record = executionOf(input.executionArn);
    // Stopping a closed execution changes nothing.
    if (record.status !== 'RUNNING') return { stopDate: (record.stopDate ?? record.startDate) / 1000 };
    const error = typeof input.error === 'string' ? input.error : undefined;
    const cause = typeof input.cause === 'string' ? input.cause : undefined;
    dropRun(record);
    close(record, 'ABORTED', { type: 'ExecutionAborted', executionAbortedEventDetails: { error, cause } }, { error, cause });
    return { stopDate: (record.stopDate as number) / 1000 };
  };

  /** What DescribeExecution and ListExecutions both say of an execution (times in epoch seconds). */
  const summaryOf = (record: ExecutionRecord): Wire<ExecutionListItem> => ({
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate / 1000,
    ...(record.stopDate !== undefined ? { stopDate: record.stopDate / 1000 } : {}),
  });

  const describeExecution = (input: Json): Wire<DescribeExecutionOutput> => {
    const record = executionOf(input.executionArn);
    const withData = input.includedData !== 'METADATA_ONLY';
    return {
      ...summaryOf(record),
      ...(withData ? { input: record.input, inputDetails: { included: true } } : {}),
      ...(withData && record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      ...(record.cause !== undefined ? { cause: record.cause } : {}),
    };
  };

  const listExecutions = (input: Json): Wire<ListExecutionsOutput> => {
    const machine = machineOf(input.stateMachineArn);
    const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
    if (input.statusFilter !== undefined && !statuses.includes(String(input.statusFilter))) {
      throw new AwsJsonError(
        'ValidationException',
        `1 validation error detected: Value '${String(input.statusFilter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${statuses.join(', ')}]`,
      );
    }
    const matching = [...executions.values()]
      .filter(
        (record) => record.stateMachineArn === machine.arn && (input.statusFilter === undefined || record.status === input.statusFilter),
      )
      .sort((a, b) => b.startDate - a.startDate);
    const { items, nextToken } = page(matching, input);
    return {
      executions: items.map(summaryOf),
      ...(nextToken ? { nextToken } : {}),
    };
  };

  const getExecutionHistory = (input: Json): Wire<GetExecutionHistoryOutput> => {
    const record = executionOf(input.executionArn);
    const ordered = input.reverseOrder === true ? [...record.history].reverse() : record.history;
    const { items, nextToken } = page(ordered, input);
    const withData = input.includeExecutionData !== false;
    return {
      events: items.map(
        (event) => ({ ...(withData ? event : withoutData(event)), timestamp: event.timestamp / 1000 }) as Wire<HistoryEvent>,
      ),
      ...(nextToken ? { nextToken } : {}),
    };
  };

  const describeStateMachine = (input: Json): Wire<DescribeStateMachineOutput> => {
    const machine = machineOf(input.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.text,
      roleArn: machine.roleArn,
      type: 'STANDARD',
      creationDate: machine.creationDate / 1000,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  };

  const listStateMachines = (input: Json): Wire<ListStateMachinesOutput> => {
    const { items, nextToken } = page(
      [...machines.values()].sort((a, b) => a.name.localeCompare(b.name)),
      input,
    );
    return {
      stateMachines: items.map((machine): Wire<StateMachineListItem> => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: 'STANDARD',
        creationDate: machine.creationDate / 1000,
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  };

  const operations: Record<string, (input: Json) => unknown> = {
    StartExecution: startExecution,
    StopExecution: stopExecution,
    DescribeExecution: describeExecution,
    ListExecutions: listExecutions,
    GetExecutionHistory: getExecutionHistory,
    DescribeStateMachine: describeStateMachine,
    ListStateMachines: listStateMachines,
  };

  const service = await startAwsJsonService({
    port: options.port,
    name: 'Step Functions',
    logTag: '[sfn]',
    contentType: 'application/x-amz-json-1.0',
    targetPrefix: 'AWSStepFunctions.',
    operations,
    internalErrorType: 'InternalFailure',
  });

  return {
    server: service.server,
    url: service.url,
    registerStateMachine: ({ name, definition, roleArn }) => {
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new Error(`state machine name '${name}' is not valid`);
      const { prepared, tasks } = prepareDefinition(definition, name);
      let machine: StateMachine;
      try {
        machine = new StateMachine(prepared);
      } catch (error) {
        throw new Error(`state machine ${name}: ${(error as Error).message}`);
      }
      const arn = `arn:aws:states:${region}:${account}:stateMachine:${name}`;
      machines.set(arn, {
        name,
        arn,
        roleArn: roleArn ?? `arn:aws:iam::${account}:role/${name}-role`,
        text: JSON.stringify(definition),
        creationDate: machines.get(arn)?.creationDate ?? Date.now(),
        prepared,
        tasks,
        machine,
        startingAt: new Map(),
      });
      return arn;
    },
    resumeExecutions: () => {
      let resumed = 0;
      for (const record of executions.values()) {
        const machine = machines.get(record.stateMachineArn);
        const run = live.get(record.executionArn);
        if (record.status !== 'RUNNING' || !machine || run?.abort || run?.timer) continue;
        append(record, { type: RESTARTED });
        log(`[sfn] ${label(record)} resumed from the start after a restart`);
        launch(record, machine, null);
        resumed += 1;
      }
      const orphans = [...executions.values()].filter(
        (record) => record.status === 'RUNNING' && !machines.has(record.stateMachineArn),
      ).length;
      if (orphans > 0) log(`[sfn] ${orphans} running execution(s) of state machines no longer in the template stay as they were`);
      return resumed;
    },
    stateMachines: () =>
      [...machines.values()].map((machine) => {
        const counts: Partial<Record<ExecutionStatus, number>> = {};
        for (const record of executions.values()) {
          if (record.stateMachineArn === machine.arn) counts[record.status] = (counts[record.status] ?? 0) + 1;
        }
        return { name: machine.name, arn: machine.arn, executions: counts };
      }),
    stateTransitions: (executionArn) => {
      const record = executions.get(executionArn);
      if (!record) throw new Error(`no execution ${executionArn}`);
      return transitions(record);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Dropped, not aborted: they stay RUNNING in the file and are replayed on the next start.
      for (const record of executions.values()) if (live.has(record.executionArn)) dropRun(record);
      saveNow();
      await service.close();
    },
  };
}

/**
 * The definition the library runs: JSONata and `Assign` refused, `QueryLanguage: JSONPath` dropped
 * (the library knows no such field), `ResultPath: "$"` dropped, timeouts fitted to Node timers, and
 * every Task's target found.
 */
function prepareDefinition(definition: unknown, machineName: string): { prepared: StateMachineDefinition; tasks: Map<string, TaskTarget> } {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition))
    throw new Error(`state machine ${machineName}: the definition is not a JSON object`);
  const prepared = structuredClone(definition) as Json;
  const tasks = new Map<string, TaskTarget>();
  const refuse = (problem: string) => {
    throw new Error(
      `state machine ${machineName}: ${problem}; the local Step Functions stand-in runs JSONPath definitions whose Task states invoke Lambda functions`,
    );
  };
  const walk = (machine: Json) => {
    if (machine.QueryLanguage === 'JSONata') refuse('it uses JSONata');
    delete machine.QueryLanguage;
    for (const [stateName, state] of Object.entries((machine.States ?? {}) as Record<string, Json>)) {
      if (state.QueryLanguage === 'JSONata') refuse(`state ${stateName} uses JSONata`);
      delete state.QueryLanguage;
      // The library stores a result at `ResultPath: "$"` under a key named `$`; "$" is the default anyway.
      for (const holder of [state, ...((state.Catch ?? []) as Json[])]) if (holder.ResultPath === '$') delete holder.ResultPath;
      const rules = [state, ...((state.Choices ?? []) as Json[]), ...((state.Catch ?? []) as Json[])];
      if (rules.some((rule) => 'Assign' in rule)) refuse(`state ${stateName} uses Assign (variables)`);
      if (state.Type === 'Task') {
        const resource = String(state.Resource);
        if (/^arn:aws[a-z-]*:states:::lambda:invoke$/.test(resource)) tasks.set(stateName, { kind: 'invoke' });
        else if (/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(resource))
          tasks.set(stateName, { kind: 'function', arn: resource });
        else refuse(`Task state ${stateName} has the resource ${resource}`);
        if (typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds > MAX_TIMER_SECONDS : state.TimeoutSecondsPath === undefined) {
          state.TimeoutSeconds = MAX_TIMER_SECONDS;
        }
      }
      if (state.Type === 'Parallel') for (const branch of (state.Branches ?? []) as Json[]) walk(branch);
      if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator ?? {}) as Json);
    }
  };
  walk(prepared);
  if (typeof prepared.TimeoutSeconds === 'number' && prepared.TimeoutSeconds > MAX_TIMER_SECONDS) delete prepared.TimeoutSeconds;
  return { prepared: prepared as unknown as StateMachineDefinition, tasks };
}

/** The Lambda invoke integration's output around the function's result, as Step Functions gives it. */
function lambdaInvokeOutput(payload: unknown, statusCode: number): Json {
  const requestId = randomUUID();
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: statusCode,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: statusCode,
  };
}

/**
 * A function's error as a task failure: the error name is the function's `errorType` (what
 * Retry/Catch match), the cause Lambda's error JSON, as Step Functions reports them. Errors the
 * invoking side names `Lambda.*` or `States.*` keep their message as the cause.
 */
function taskError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name || 'Error' : typeof error;
  const errorMessage = error instanceof Error ? error.message : String(error);
  if (/^(Lambda|States)\./.test(errorType)) return namedError(errorType, errorMessage);
  const trace = error instanceof Error ? (error.stack ?? '').split('\n') : [];
  return namedError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A value as it comes out of JSON (what a Lambda invocation hands over); undefined becomes null. */
function jsonCopy(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value) ?? 'null') as unknown);
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause) ?? '';
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function machineNameOf(stateMachineArn: string): string {
  return stateMachineArn.split(':').at(-1) ?? stateMachineArn;
}

/** A history event without execution data, as `includeExecutionData: false` asks. */
function withoutData(event: StoredEvent): StoredEvent {
  const copy = { ...event } as Json;
  for (const [key, value] of Object.entries(copy)) {
    if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
    const { input: _input, output: _output, parameters: _parameters, ...rest } = value as Json;
    copy[key] = rest;
  }
  return copy as StoredEvent;
}

/** One page of a list: `maxResults` (0 or none: 100; at most 1000) from the offset `nextToken` carries. */
function page<T>(items: T[], input: Json): { items: T[]; nextToken?: string } {
  const size = typeof input.maxResults === 'number' && input.maxResults > 0 ? Math.min(input.maxResults, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  let offset = 0;
  if (typeof input.nextToken === 'string') {
    offset = Number(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new AwsJsonError('InvalidToken', `Invalid Token: '${input.nextToken}'`);
  }
  const end = offset + size;
  return { items: items.slice(offset, end), ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}) };
}

/**
 * When a Wait state entered with `input` ends, in epoch milliseconds; null when it cannot tell (a
 * path this reader does not follow, or a value the library will refuse itself).
 */
function waitUntil(state: Json, input: unknown): number | null {
  const effective = state.InputPath === null ? {} : typeof state.InputPath === 'string' ? readPath(state.InputPath, input) : input;
  if (effective === undefined) return null;
  const seconds =
    typeof state.Seconds === 'number'
      ? state.Seconds
      : typeof state.SecondsPath === 'string'
        ? readPath(state.SecondsPath, effective)
        : undefined;
  if (typeof seconds === 'number') return Date.now() + seconds * 1000;
  const timestamp =
    typeof state.Timestamp === 'string'
      ? state.Timestamp
      : typeof state.TimestampPath === 'string'
        ? readPath(state.TimestampPath, effective)
        : undefined;
  if (typeof timestamp !== 'string') return null;
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? null : time;
}

/** Follows a simple JSONPath (`$`, `$.a.b`, `$['a'][0]`); undefined for anything else or a missing value. */
function readPath(path: string, value: unknown): unknown {
  if (!path.startsWith('$') || path.startsWith('$$')) return undefined;
  const steps = /^(?:\.([A-Za-z_][\w-]*)|\['([^']*)'\]|\["([^"]*)"\]|\[(\d+)\])/;
  let rest = path.slice(1);
  let current = value;
  while (rest.length > 0) {
    const step = steps.exec(rest);
    if (!step || current === null || typeof current !== 'object') return undefined;
    const key = step[1] ?? step[2] ?? step[3] ?? Number(step[4]);
    current = (current as Record<string | number, unknown>)[key];
    rest = rest.slice(step[0].length);
  }
  return current;
}

/** setTimeout for any delay: chained timers of at most 2^31-1 ms each. */
function setLongTimeout(at: number, fire: () => void): { clear(): void } {
  let handle: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = at - Date.now();
    if (left <= 0) {
      fire();
      return;
    }
    handle = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  handle = setTimeout(arm, 0);
  return { clear: () => clearTimeout(handle) };
}
