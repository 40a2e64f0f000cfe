/**
 * The Step Functions stand-in's API operations, as `@aws-sdk/client-sfn` calls them: errors and
 * shapes as AWS gives them (timestamps in epoch seconds).
 */
import { randomUUID } from 'node:crypto';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  GetExecutionHistoryOutput,
  HistoryEvent,
  ListExecutionsOutput,
  ListStateMachinesOutput,
  StartExecutionOutput,
  StateMachineListItem,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { AwsJsonError } from './aws-json-service.js';
import {
  type ExecutionRecord,
  type ExecutionStore,
  type Json,
  label,
  type MachineRecord,
  type StoredEvent,
  type Wire,
} from './stepfunctions-executions.js';
import type { ExecutionRunner } from './stepfunctions-runner.js';

/** Executions: name length and characters (stricter than AWS, which also allows some punctuation and non-ASCII letters). */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** StartExecution input limit, in UTF-8 bytes. */
const MAX_INPUT_BYTES = 256 * 1024;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export interface ApiContext {
  region: string;
  account: string;
  log: (line: string) => void;
  machines: Map<string, MachineRecord>;
  store: ExecutionStore;
  runner: ExecutionRunner;
}

/** The operations by `X-Amz-Target` name. */
export function stepFunctionsOperations(ctx: ApiContext): Record<string, (input: Json) => unknown> {
  return {
    StartExecution: (input) => startExecution(ctx, input),
    StopExecution: (input) => stopExecution(ctx, input),
    DescribeExecution: (input) => describeExecution(ctx, input),
    ListExecutions: (input) => listExecutions(ctx, input),
    GetExecutionHistory: (input) => getExecutionHistory(ctx, input),
    DescribeStateMachine: (input) => describeStateMachine(ctx, input),
    ListStateMachines: (input) => listStateMachines(ctx, input),
  };
}

function machineOf(ctx: ApiContext, arn: unknown, parameter = 'stateMachineArn'): MachineRecord {
  if (typeof arn !== 'string' || arn === '')
    throw new AwsJsonError(
      'ValidationException',
      `1 validation error detected: Value null at '${parameter}' failed to satisfy constraint: Member must not be null`,
    );
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(arn))
    throw new AwsJsonError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const machine = ctx.machines.get(arn);
  if (!machine) throw new AwsJsonError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return machine;
}

function executionOf(ctx: ApiContext, arn: unknown): ExecutionRecord {
  if (typeof arn !== 'string' || arn === '')
    throw new AwsJsonError(
      'ValidationException',
      "1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null",
    );
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn))
    throw new AwsJsonError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const record = ctx.store.records.get(arn);
  if (!record) throw new AwsJsonError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return record;
}

function startExecution(ctx: ApiContext, input: Json): Wire<StartExecutionOutput> {
  const machine = machineOf(ctx, input.stateMachineArn);
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
  const executionArn = `arn:aws:states:${ctx.region}:${ctx.account}:execution:${machine.name}:${name}`;
  const existing = ctx.store.records.get(executionArn);
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
  ctx.store.records.set(executionArn, record);
  ctx.store.append(record, {
    type: 'ExecutionStarted',
    executionStartedEventDetails: { input: text, inputDetails: { truncated: false }, roleArn: machine.roleArn },
  });
  ctx.log(`[sfn] ${label(record)} started`);
  ctx.runner.launch(record, machine, null);
  return { executionArn, startDate: record.startDate / 1000 };
}

function stopExecution(ctx: ApiContext, input: Json): Wire<StopExecutionOutput> {
  const record = executionOf(ctx, input.executionArn);
  // Stopping a closed execution changes nothing.
  if (record.status !== 'RUNNING') return { stopDate: (record.stopDate ?? record.startDate) / 1000 };
  const error = typeof input.error === 'string' ? input.error : undefined;
  const cause = typeof input.cause === 'string' ? input.cause : undefined;
  ctx.store.dropRun(record);
  ctx.store.close(record, 'ABORTED', { type: 'ExecutionAborted', executionAbortedEventDetails: { error, cause } }, { error, cause });
  return { stopDate: (record.stopDate as number) / 1000 };
}

/** What DescribeExecution and ListExecutions both say of an execution (times in epoch seconds). */
function summaryOf(record: ExecutionRecord): Wire<ExecutionListItem> {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate / 1000,
    ...(record.stopDate !== undefined ? { stopDate: record.stopDate / 1000 } : {}),
  };
}

function describeExecution(ctx: ApiContext, input: Json): Wire<DescribeExecutionOutput> {
  const record = executionOf(ctx, input.executionArn);
  const withData = input.includedData !== 'METADATA_ONLY';
  return {
    ...summaryOf(record),
    ...(withData ? { input: record.input, inputDetails: { included: true } } : {}),
    ...(withData && record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
  };
}

function listExecutions(ctx: ApiContext, input: Json): Wire<ListExecutionsOutput> {
  const machine = machineOf(ctx, input.stateMachineArn);
  const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
  if (input.statusFilter !== undefined && !statuses.includes(String(input.statusFilter))) {
    throw new AwsJsonError(
      'ValidationException',
      `1 validation error detected: Value '${String(input.statusFilter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${statuses.join(', ')}]`,
    );
  }
  const matching = [...ctx.store.records.values()]
    .filter(
      (record) => record.stateMachineArn === machine.arn && (input.statusFilter === undefined || record.status === input.statusFilter),
    )
    .sort((a, b) => b.startDate - a.startDate);
  const { items, nextToken } = page(matching, input);
  return {
    executions: items.map(summaryOf),
    ...(nextToken ? { nextToken } : {}),
  };
}

function getExecutionHistory(ctx: ApiContext, input: Json): Wire<GetExecutionHistoryOutput> {
  const record = executionOf(ctx, input.executionArn);
  const ordered = input.reverseOrder === true ? [...record.history].reverse() : record.history;
  const { items, nextToken } = page(ordered, input);
  const withData = input.includeExecutionData !== false;
  return {
    events: items.map((event) => ({ ...(withData ? event : withoutData(event)), timestamp: event.timestamp / 1000 }) as Wire<HistoryEvent>),
    ...(nextToken ? { nextToken } : {}),
  };
}

function describeStateMachine(ctx: ApiContext, input: Json): Wire<DescribeStateMachineOutput> {
  const machine = machineOf(ctx, input.stateMachineArn);
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
}

function listStateMachines(ctx: ApiContext, input: Json): Wire<ListStateMachinesOutput> {
  const { items, nextToken } = page(
    [...ctx.machines.values()].sort((a, b) => a.name.localeCompare(b.name)),
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
