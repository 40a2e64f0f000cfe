/**
 * The Step Functions stand-in's records: state machines as registered, executions with their
 * history, and the store that keeps executions (and persists them, see stepfunctions-local.ts).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';
import type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';

export type Json = Record<string, unknown>;

/** An SDK shape as it travels in awsJson1_0: timestamps are epoch seconds. */
export type Wire<T> = T extends Date ? number : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** The local-only history event marking a replay after a restart. */
export const RESTARTED = 'ExecutionRestarted';

/** A history event as kept: the SDK shape, with the timestamp in epoch milliseconds. */
export type StoredEvent = Omit<Wire<HistoryEvent>, 'timestamp' | 'type'> & {
  timestamp: number;
  type: NonNullable<HistoryEvent['type']> | typeof RESTARTED;
};

/** A history event before the store numbers and dates it. */
export type NewEvent = Omit<StoredEvent, 'id' | 'previousEventId' | 'timestamp'>;

export interface ExecutionRecord {
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
export type TaskTarget = { kind: 'invoke' } | { kind: 'function'; arn: string };

export interface MachineRecord {
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
export interface LiveRun {
  generation: number;
  abort: (() => void) | null;
  timer: { clear(): void } | null;
}

/** Changes are written this long after the first unsaved one (one rewrite of the whole file). */
const SAVE_DELAY_MS = 200;

/** Every execution, its history and its run in this process; kept in `<dataDir>/executions.json` when there is a dataDir. */
export class ExecutionStore {
  readonly records = new Map<string, ExecutionRecord>();
  private readonly live = new Map<string, LiveRun>();
  private readonly file: string | null;
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataDir: string | null,
    private readonly log: (line: string) => void,
  ) {
    this.file = dataDir ? join(dataDir, 'executions.json') : null;
    this.load();
  }

  private load(): void {
    if (!this.file || !existsSync(this.file)) return;
    let saved: { executions?: ExecutionRecord[] };
    try {
      saved = JSON.parse(readFileSync(this.file, 'utf8')) as { executions?: ExecutionRecord[] };
    } catch (error) {
      throw new Error(`the Step Functions stand-in cannot read ${this.file}: ${(error as Error).message} (start with --reset to drop it)`);
    }
    for (const record of saved.executions ?? []) this.records.set(record.executionArn, record);
  }

  saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (!this.file || !this.dataDir) return;
    mkdirSync(this.dataDir, { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ executions: [...this.records.values()] }));
    renameSync(temporary, this.file);
  }

  private saveSoon(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  /** The execution's run in this process, if it has had one. */
  runOf(executionArn: string): LiveRun | undefined {
    return this.live.get(executionArn);
  }

  liveOf(record: ExecutionRecord): LiveRun {
    let run = this.live.get(record.executionArn);
    if (!run) {
      run = { generation: 0, abort: null, timer: null };
      this.live.set(record.executionArn, run);
    }
    return run;
  }

  /** Drops the current run of an execution: its events and task calls are ignored from now on. */
  dropRun(record: ExecutionRecord): void {
    const run = this.liveOf(record);
    run.generation += 1;
    run.abort?.();
    run.abort = null;
    run.timer?.clear();
    run.timer = null;
  }

  append(record: ExecutionRecord, event: NewEvent): void {
    const id = record.history.length + 1;
    record.history.push({ id, previousEventId: id - 1, timestamp: Date.now(), ...event } as StoredEvent);
    this.saveSoon();
  }

  /** Ends an execution with a status, its last history event and the fields that status sets. */
  close(record: ExecutionRecord, status: ExecutionStatus, ending: NewEvent, fields: Partial<ExecutionRecord>): void {
    record.status = status;
    record.stopDate = Date.now();
    Object.assign(record, fields);
    this.append(record, ending);
    this.liveOf(record).abort = null;
    const reason = record.error ? ` (${record.error}${record.cause ? `: ${truncate(record.cause, 200)}` : ''})` : '';
    const count = transitions(record);
    this.log(
      `[sfn] ${label(record)} ${status.toLowerCase().replace('_', ' ')} after ${count} state transition${count === 1 ? '' : 's'}${reason}`,
    );
  }
}

/** `<machine>/<execution>`, as the log names an execution. */
export function label(record: ExecutionRecord): string {
  return `${machineNameOf(record.stateMachineArn)}/${record.name}`;
}

/** State transitions of an execution so far: its `*StateEntered` history events. */
export function transitions(record: ExecutionRecord): number {
  return record.history.filter((event) => event.type.endsWith('StateEntered')).length;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function machineNameOf(stateMachineArn: string): string {
  return stateMachineArn.split(':').at(-1) ?? stateMachineArn;
}
