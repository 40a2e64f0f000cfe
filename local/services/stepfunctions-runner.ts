/**
 * Runs the stand-in's executions with `aws-local-stepfunctions`: every Task state calls
 * `invokeFunction`, every library event becomes history, and a Wait longer than a Node timer is slept
 * here (see stepfunctions-local.ts for why).
 */
import { randomUUID } from 'node:crypto';
import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { setLongTimeout, waitUntil } from './stepfunctions-definition.js';
import {
  type ExecutionRecord,
  type ExecutionStore,
  type Json,
  label,
  type MachineRecord,
  type StoredEvent,
  type TaskTarget,
} from './stepfunctions-executions.js';

type JsonValue = Parameters<StateMachine['run']>[0];
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

export interface RunnerContext {
  store: ExecutionStore;
  /** Runs a Lambda function (name or ARN) with a payload; a throw fails the task. */
  invokeFunction(functionNameOrArn: string, payload: unknown): Promise<unknown>;
  region: string;
  log: (line: string) => void;
  /** Waits longer than this are slept by the stand-in rather than the library. */
  longWaitMs: number;
  /** True once the stand-in stops: a long wait that ends then starts no new run. */
  isStopped(): boolean;
}

/** Where a run starts: the machine's start state, or a top-level state with its input (after a long wait). */
type StartPoint = { stateName: string; input: unknown } | null;

export class ExecutionRunner {
  constructor(private readonly context: RunnerContext) {}

  private get store(): ExecutionStore {
    return this.context.store;
  }

  /**
   * Runs an execution with the library from its start state, or from a top-level state with that
   * state's input (after a long wait), and records the run's events in its history.
   */
  launch(record: ExecutionRecord, machine: MachineRecord, from: StartPoint): void {
    const run = this.store.liveOf(record);
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
      overrides: { taskResourceLocalHandlers: this.taskHandlers(record, machine, generation) },
      context: {
        Execution: { Id: record.executionArn, Name: record.name, RoleArn: machine.roleArn },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    // Outcomes are read from the event log; an aborted or failed run's promise must not go unhandled.
    execution.result.catch(() => undefined);
    run.abort = execution.abort;
    void this.follow(record, machine, generation, execution.eventLogs, from?.stateName ?? null);
  }

  /** `invokeFunction`, whose synchronous throws become rejections too. */
  private invoke(target: string, payload: unknown): Promise<unknown> {
    return Promise.resolve().then(() => this.context.invokeFunction(target, payload));
  }

  /** The Task states' handlers for one run: each calls `invokeFunction` and records the task's events. */
  private taskHandlers(record: ExecutionRecord, machine: MachineRecord, generation: number): TaskHandlers {
    return Object.fromEntries(
      [...machine.tasks].map(([stateName, target]) => [
        stateName,
        (input: JsonValue): Promise<JsonValue> => this.runTask(record, target, generation, input),
      ]),
    );
  }

  private async runTask(record: ExecutionRecord, target: TaskTarget, generation: number, input: JsonValue): Promise<JsonValue> {
    // The library hands us the task before its TaskStateEntered reaches the history: let it.
    await new Promise((resolveTurn) => setImmediate(resolveTurn));
    if (this.store.liveOf(record).generation !== generation) throw namedError('States.Runtime', 'the execution was stopped');
    const current = () => this.store.liveOf(record).generation === generation;
    return target.kind === 'function'
      ? this.runFunctionTask(record, target.arn, current, input)
      : this.runInvokeTask(record, current, input);
  }

  /** A Task whose resource is a function ARN: the function's result is the task's. */
  private async runFunctionTask(record: ExecutionRecord, arn: string, current: () => boolean, input: JsonValue): Promise<JsonValue> {
    this.store.append(record, {
      type: 'LambdaFunctionScheduled',
      lambdaFunctionScheduledEventDetails: {
        resource: arn,
        input: JSON.stringify(input),
        inputDetails: { truncated: false },
      },
    });
    this.store.append(record, { type: 'LambdaFunctionStarted' });
    const result = jsonCopy(await this.invoke(arn, jsonCopy(input)).catch((error: unknown) => Promise.reject(taskError(error))));
    if (current())
      this.store.append(record, {
        type: 'LambdaFunctionSucceeded',
        lambdaFunctionSucceededEventDetails: { output: JSON.stringify(result), outputDetails: { truncated: false } },
      });
    return result as JsonValue;
  }

  /** A `lambda:invoke` Task: the function's result wrapped as the integration gives it. */
  private async runInvokeTask(record: ExecutionRecord, current: () => boolean, input: JsonValue): Promise<JsonValue> {
    const parameters = (input ?? {}) as Json;
    const details = { resourceType: 'lambda', resource: 'invoke' };
    this.store.append(record, {
      type: 'TaskScheduled',
      taskScheduledEventDetails: { ...details, region: this.context.region, parameters: JSON.stringify(parameters) },
    });
    this.store.append(record, { type: 'TaskStarted', taskStartedEventDetails: details });
    if (typeof parameters.FunctionName !== 'string') {
      throw namedError('Lambda.InvalidParameterValueException', 'the lambda:invoke parameters have no FunctionName string');
    }
    const payload = parameters.Payload === undefined ? {} : jsonCopy(parameters.Payload);
    let output: Json;
    if (parameters.InvocationType === 'Event') {
      // Asynchronous invocation: Lambda answers 202 at once; the function's outcome is not the task's.
      this.invoke(parameters.FunctionName, payload).catch((error: unknown) =>
        this.context.log(`[sfn] ${label(record)}: asynchronous ${parameters.FunctionName} failed: ${String(error)}`),
      );
      output = lambdaInvokeOutput('', 202);
    } else {
      const result = await this.invoke(parameters.FunctionName, payload).catch((error: unknown) => Promise.reject(taskError(error)));
      output = lambdaInvokeOutput(jsonCopy(result), 200);
    }
    if (current())
      this.store.append(record, {
        type: 'TaskSucceeded',
        taskSucceededEventDetails: { ...details, output: JSON.stringify(output), outputDetails: { truncated: false } },
      });
    return output as JsonValue;
  }

  /**
   * Turns a run's event log into history and status. It runs in microtasks right after each event,
   * so everything here stays synchronous: a long Wait must be caught before the library's
   * overflowed 1 ms timer fires.
   */
  private async follow(
    record: ExecutionRecord,
    machine: MachineRecord,
    generation: number,
    events: AsyncGenerator<EventLog>,
    resumedAt: string | null,
  ): Promise<void> {
    let skipEntered = resumedAt;
    for await (const event of events) {
      if (this.store.liveOf(record).generation !== generation || record.status !== 'RUNNING') return;
      if (event.type === 'StateEntered') {
        // A run resumed at a Wait re-enters a state the history already has.
        const reentered = skipEntered !== null && event.state.name === skipEntered && event.index === undefined;
        skipEntered = null;
        if (!reentered && this.enterState(record, machine, event) === 'slept') return;
      } else if (this.recordEvent(record, machine, event) === 'ended') return;
    }
  }

  /** Records a state entered; a Wait longer than a Node timer drops the run and is slept here. */
  private enterState(record: ExecutionRecord, machine: MachineRecord, event: Extract<EventLog, { type: 'StateEntered' }>): 'slept' | null {
    this.store.append(record, {
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
      if (until !== null && until - Date.now() > this.context.longWaitMs) {
        this.sleepLong(record, machine, event.state.name, event.state.input, until);
        return 'slept';
      }
    }
    return null;
  }

  /** Records any other library event; says when the execution has ended. */
  private recordEvent(record: ExecutionRecord, machine: MachineRecord, event: EventLog): 'ended' | null {
    switch (event.type) {
      case 'StateExited':
        this.store.append(record, {
          type: `${event.state.type}StateExited` as StoredEvent['type'],
          stateExitedEventDetails: {
            name: event.state.name,
            output: JSON.stringify(event.state.output ?? null),
            outputDetails: { truncated: false },
          },
        });
        return null;
      case 'StateFailed':
        this.recordTaskFailure(record, machine, event);
        return null;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails` as 'mapIterationStartedEventDetails';
        this.store.append(record, { type: event.type, [key]: { name: event.parentState.name, index: event.index } });
        return null;
      }
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionTimeout':
        this.recordEnd(record, event);
        return 'ended';
      default:
        // ExecutionStarted is recorded by StartExecution; aborts are ours; retries, catches and
        // Parallel branches have no history event of their own in AWS.
        return null;
    }
  }

  /** A Task state's failure as its Lambda or task event; other states fail the execution (or are caught) without one. */
  private recordTaskFailure(record: ExecutionRecord, machine: MachineRecord, event: Extract<EventLog, { type: 'StateFailed' }>): void {
    const target = event.state.type === 'Task' ? machine.tasks.get(event.state.name) : undefined;
    if (!target) return;
    const failure = { error: event.Error, cause: causeText(event.Cause) };
    const timedOut = event.Error === 'States.Timeout';
    if (target.kind === 'function') {
      this.store.append(
        record,
        timedOut
          ? { type: 'LambdaFunctionTimedOut', lambdaFunctionTimedOutEventDetails: failure }
          : { type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: failure },
      );
    } else {
      const details = { resourceType: 'lambda', resource: 'invoke', ...failure };
      this.store.append(
        record,
        timedOut ? { type: 'TaskTimedOut', taskTimedOutEventDetails: details } : { type: 'TaskFailed', taskFailedEventDetails: details },
      );
    }
  }

  /** Closes the execution as its run ended: succeeded, failed or timed out (aborts are ours: recordEvent never passes one). */
  private recordEnd(
    record: ExecutionRecord,
    event: Extract<EventLog, { type: 'ExecutionSucceeded' | 'ExecutionFailed' | 'ExecutionAborted' | 'ExecutionTimeout' }>,
  ): void {
    if (event.type === 'ExecutionSucceeded') {
      this.store.close(
        record,
        'SUCCEEDED',
        {
          type: 'ExecutionSucceeded',
          executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null), outputDetails: { truncated: false } },
        },
        { output: JSON.stringify(event.output ?? null) },
      );
    } else if (event.type === 'ExecutionFailed') {
      const failure = { error: event.Error, cause: causeText(event.Cause) };
      this.store.close(record, 'FAILED', { type: 'ExecutionFailed', executionFailedEventDetails: failure }, failure);
    } else {
      this.store.close(
        record,
        'TIMED_OUT',
        { type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } },
        { error: 'States.Timeout' },
      );
    }
  }

  /** Drops the library's run at a Wait longer than a Node timer and starts a new one at that Wait shortly before it ends. */
  private sleepLong(record: ExecutionRecord, machine: MachineRecord, stateName: string, input: unknown, until: number): void {
    this.store.dropRun(record);
    this.context.log(
      `[sfn] ${label(record)} waits in ${stateName} until ${new Date(until).toISOString()}, longer than a Node timer: the stand-in sleeps it (Node's TimeoutOverflowWarning about it is harmless)`,
    );
    const run = this.store.liveOf(record);
    const generation = run.generation;
    run.timer = setLongTimeout(until - Math.min(24 * 3600 * 1000, Math.floor(this.context.longWaitMs / 2)), () => {
      run.timer = null;
      if (this.store.liveOf(record).generation === generation && record.status === 'RUNNING' && !this.context.isStopped())
        this.launch(record, machine, { stateName, input });
    });
  }
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
