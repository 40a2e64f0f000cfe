import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type StepFunctionsLocal, type StepFunctionsLocalOptions, startStepFunctionsLocal } from '#local/services/stepfunctions-local';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const EVALUATE_ARN = 'arn:aws:lambda:eu-central-1:000000000000:function:EvaluateSla';

type Invoke = StepFunctionsLocalOptions['invokeFunction'];

/**
 * The SLA timer's shape: wait until `$.wakeAt`, evaluate (Lambda invoke, fields picked from
 * `$.Payload`), and loop back to the wait while the evaluation says `wait`.
 */
function slaDefinition(
  overrides: { evaluate?: Record<string, unknown>; states?: Record<string, unknown>; top?: Record<string, unknown> } = {},
) {
  return {
    Comment: 'SLA timer',
    StartAt: 'WaitUntilDue',
    ...overrides.top,
    States: {
      WaitUntilDue: { Type: 'Wait', TimestampPath: '$.wakeAt', Next: 'Evaluate' },
      Evaluate: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: EVALUATE_ARN, 'Payload.$': '$' },
        ResultSelector: {
          'caseId.$': '$.Payload.caseId',
          'action.$': '$.Payload.action',
          'wakeAt.$': '$.Payload.wakeAt',
          'statusCode.$': '$.StatusCode',
        },
        Retry: [
          {
            ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'],
            IntervalSeconds: 0.01,
            MaxAttempts: 2,
            BackoffRate: 1,
          },
        ],
        Next: 'Again?',
        ...overrides.evaluate,
      },
      'Again?': { Type: 'Choice', Choices: [{ Variable: '$.action', StringEquals: 'wait', Next: 'WaitUntilDue' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
      ...overrides.states,
    },
  };
}

/** What the SLA evaluation function answers: every field the definition's ResultSelector picks. */
function evaluation(action: 'wait' | 'done', caseId = 'c-1', wakeAt: string | null = null) {
  return { caseId, action, wakeAt };
}

const running: StepFunctionsLocal[] = [];
const directories: string[] = [];

afterEach(async () => {
  for (const stand of running.splice(0)) await stand.stop();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function start(invokeFunction: Invoke, options: Partial<StepFunctionsLocalOptions> = {}) {
  const stand = await startStepFunctionsLocal({ port: 0, dataDir: null, invokeFunction, ...options });
  running.push(stand);
  const client = new SFNClient({ region: 'eu-central-1', endpoint: stand.url, credentials: CREDENTIALS, maxAttempts: 1 });
  return { stand, client };
}

function inMs(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls DescribeExecution until the execution is no longer RUNNING. */
async function finished(client: SFNClient, executionArn: string): Promise<DescribeExecutionOutput> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await sleep(10);
  }
  throw new Error(`${executionArn} is still running`);
}

async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

function entered(events: HistoryEvent[]): string[] {
  return events
    .filter((event) => event.type?.endsWith('StateEntered'))
    .map((event) => `${event.type}:${event.stateEnteredEventDetails?.name}`);
}

describe('the Step Functions stand-in', () => {
  it('runs a Standard workflow (Wait, Lambda invoke, Choice loop) to success through the real SDK client', async () => {
    const invoke = vi
      .fn<Invoke>()
      .mockResolvedValueOnce(evaluation('wait', 'c-1', inMs(20)))
      .mockResolvedValueOnce(evaluation('done', 'c-1'));
    const { stand, client } = await start(invoke);
    const stateMachineArn = stand.registerStateMachine({ name: 'SlaTimer', definition: slaDefinition() });

    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-c-1', input: JSON.stringify({ caseId: 'c-1', wakeAt: inMs(10) }) }),
    );
    const described = await finished(client, started.executionArn as string);
    const events = await history(client, started.executionArn as string);

    expect(stateMachineArn).toBe('arn:aws:states:eu-central-1:000000000000:stateMachine:SlaTimer');
    expect(started.executionArn).toBe('arn:aws:states:eu-central-1:000000000000:execution:SlaTimer:case-c-1');
    expect(started.startDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'case-c-1', stateMachineArn });
    expect(described.error).toBeUndefined();
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(JSON.parse(described.output as string)).toEqual({ caseId: 'c-1', action: 'done', wakeAt: null, statusCode: 200 });
    expect(invoke).toHaveBeenCalledTimes(2);
    expect(invoke.mock.calls[0]).toEqual([EVALUATE_ARN, { caseId: 'c-1', wakeAt: expect.any(String) }]);
    expect(invoke.mock.calls[1]?.[1]).toEqual({ caseId: 'c-1', action: 'wait', wakeAt: expect.any(String), statusCode: 200 });
    // Wait → Evaluate → Again? → Wait → Evaluate → Again? → Done: 7 state transitions.
    expect(entered(events)).toEqual([
      'WaitStateEntered:WaitUntilDue',
      'TaskStateEntered:Evaluate',
      'ChoiceStateEntered:Again?',
      'WaitStateEntered:WaitUntilDue',
      'TaskStateEntered:Evaluate',
      'ChoiceStateEntered:Again?',
      'SucceedStateEntered:Done',
    ]);
    expect(stand.stateTransitions(started.executionArn as string)).toBe(7);
    expect(events[0]).toMatchObject({
      id: 1,
      type: 'ExecutionStarted',
      executionStartedEventDetails: { input: expect.stringContaining('"caseId":"c-1"') },
    });
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events.every((event) => event.timestamp instanceof Date)).toBe(true);
    expect(events.filter((event) => event.type === 'TaskStateExited')).toHaveLength(2);
  });

  it('gives a Lambda invoke task the integration output, so ResultSelector and OutputPath work on $.Payload', async () => {
    const { stand, client } = await start(async () => ({ answer: 42 }));
    const stateMachineArn = stand.registerStateMachine({
      name: 'Shapes',
      definition: {
        StartAt: 'Raw',
        States: {
          Raw: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'Shapes', 'Payload.$': '$' },
            ResultPath: '$.raw',
            Next: 'Picked',
          },
          Picked: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'Shapes' },
            OutputPath: '$.Payload',
            ResultPath: '$',
            Next: 'Plain',
          },
          Plain: { Type: 'Task', Resource: EVALUATE_ARN, ResultPath: '$.plain', End: true },
        },
      },
    });

    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const described = await finished(client, executionArn as string);
    const events = await history(client, executionArn as string);

    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output as string)).toEqual({ answer: 42, plain: { answer: 42 } });
    const raw = JSON.parse(
      events.find((event) => event.type === 'TaskStateExited' && event.stateExitedEventDetails?.name === 'Raw')?.stateExitedEventDetails
        ?.output as string,
    );
    expect(raw.raw).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { answer: 42 },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
    });
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
      ]),
    );
    expect(events.find((event) => event.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
    });
  });

  it('returns the same execution for a repeated name and input while it runs, and ExecutionAlreadyExists otherwise', async () => {
    const { stand, client } = await start(async () => evaluation('done', 'c-2'));
    const stateMachineArn = stand.registerStateMachine({ name: 'SlaTimer', definition: slaDefinition() });
    const waiting = JSON.stringify({ caseId: 'c-2', wakeAt: inMs(60_000) });

    const first = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'case-c-2', input: waiting }));
    const again = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'case-c-2', input: waiting }));
    const otherInput = client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-c-2', input: JSON.stringify({ caseId: 'c-2', wakeAt: inMs(1) }) }),
    );

    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    await expect(otherInput).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'case-c-2', input: waiting }))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });

    const past = JSON.stringify({ caseId: 'c-3', wakeAt: inMs(-1000) });
    const done = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'case-c-3', input: past }));
    expect((await finished(client, done.executionArn as string)).status).toBe('SUCCEEDED');
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'case-c-3', input: past }))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('aborts a waiting execution on StopExecution without ever calling the function', async () => {
    const invoke = vi.fn<Invoke>().mockResolvedValue(evaluation('done'));
    const { stand, client } = await start(invoke);
    const stateMachineArn = stand.registerStateMachine({ name: 'SlaTimer', definition: slaDefinition() });
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'stop-me', input: JSON.stringify({ wakeAt: inMs(150) }) }),
    );

    const stopped = await client.send(new StopExecutionCommand({ executionArn, error: 'CaseClosed', cause: 'the case was closed' }));
    await sleep(200);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    const stoppedAgain = await client.send(new StopExecutionCommand({ executionArn }));
    const events = await history(client, executionArn as string);

    expect(invoke).not.toHaveBeenCalled();
    expect(described).toMatchObject({ status: 'ABORTED', error: 'CaseClosed', cause: 'the case was closed', stopDate: stopped.stopDate });
    expect(stoppedAgain.stopDate).toEqual(stopped.stopDate);
    expect(events.map((event) => event.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    expect(events.at(-1)?.executionAbortedEventDetails).toEqual({ error: 'CaseClosed', cause: 'the case was closed' });
    expect(stand.stateMachines()).toEqual([{ name: 'SlaTimer', arn: stateMachineArn, executions: { ABORTED: 1 } }]);
  });

  it('retries a failing task as the definition says, then follows its Catch', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
    const invoke = vi.fn<Invoke>().mockRejectedValueOnce(throttled).mockRejectedValueOnce(throttled).mockRejectedValueOnce(throttled);
    const { stand, client } = await start(invoke);
    const stateMachineArn = stand.registerStateMachine({
      name: 'Caught',
      definition: slaDefinition({
        evaluate: { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Recovered' }] },
        states: { Recovered: { Type: 'Pass', End: true } },
      }),
    });

    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ wakeAt: inMs(-1) }) }));
    const described = await finished(client, executionArn as string);
    const events = await history(client, executionArn as string);

    // One attempt and MaxAttempts (2) retries.
    expect(invoke).toHaveBeenCalledTimes(3);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output as string).failure).toEqual({ Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' });
    expect(events.filter((event) => event.type === 'TaskFailed')).toHaveLength(3);
    expect(entered(events)).toEqual(['WaitStateEntered:WaitUntilDue', 'TaskStateEntered:Evaluate', 'PassStateEntered:Recovered']);
  });

  it('fails the execution with the function error name and Lambda error JSON as the cause when nothing catches it', async () => {
    const invoke = vi.fn<Invoke>().mockRejectedValue(new TypeError('caseId is missing'));
    const { stand, client } = await start(invoke);
    const stateMachineArn = stand.registerStateMachine({ name: 'SlaTimer', definition: slaDefinition() });

    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ wakeAt: inMs(-1) }) }));
    const described = await finished(client, executionArn as string);
    const events = await history(client, executionArn as string);

    // TypeError matches no retrier: one call.
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(described).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(JSON.parse(described.cause as string)).toMatchObject({ errorType: 'TypeError', errorMessage: 'caseId is missing' });
    expect(events.map((event) => event.type).slice(-2)).toEqual(['TaskFailed', 'ExecutionFailed']);
  });

  it('keeps executions in its data directory and replays a running one from the start after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sfn-local-'));
    directories.push(dataDir);
    const before = vi.fn<Invoke>().mockResolvedValue(evaluation('done', 'c-9'));
    const first = await start(before, { dataDir });
    const arn = first.stand.registerStateMachine({ name: 'SlaTimer', definition: slaDefinition() });
    const { executionArn, startDate } = await first.client.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'case-c-9', input: JSON.stringify({ caseId: 'c-9', wakeAt: inMs(300) }) }),
    );
    await first.stand.stop();
    const saved = JSON.parse(readFileSync(join(dataDir, 'executions.json'), 'utf8')) as { executions: { status: string }[] };

    const after = vi.fn<Invoke>().mockResolvedValue(evaluation('done', 'c-9'));
    const second = await start(after, { dataDir });
    second.stand.registerStateMachine({ name: 'SlaTimer', definition: slaDefinition() });
    const resumed = second.stand.resumeExecutions();
    const described = await finished(second.client, executionArn as string);
    const events = await history(second.client, executionArn as string);

    expect(saved.executions.map((execution) => execution.status)).toEqual(['RUNNING']);
    expect(resumed).toBe(1);
    expect(before).not.toHaveBeenCalled();
    expect(after).toHaveBeenCalledTimes(1);
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'case-c-9', startDate });
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['ExecutionStarted', 'WaitStateEntered', 'ExecutionRestarted', 'TaskStateEntered', 'ExecutionSucceeded']),
    );
    expect(events.findIndex((event) => (event.type as string) === 'ExecutionRestarted')).toBe(2);
    expect(second.stand.resumeExecutions()).toBe(0);
  });

  it('sleeps a Wait longer than a Node timer itself, without the library running on after 1 ms', async () => {
    const invoke = vi.fn<Invoke>().mockResolvedValue(evaluation('done'));
    const { stand, client } = await start(invoke);
    const stateMachineArn = stand.registerStateMachine({
      name: 'SlaTimer',
      definition: slaDefinition({ top: { TimeoutSeconds: 365 * 24 * 3600 } }),
    });

    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ wakeAt: inMs(30 * 24 * 3600 * 1000) }) }),
    );
    await sleep(50);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));

    expect(invoke).not.toHaveBeenCalled();
    expect(described.status).toBe('RUNNING');
    expect(entered(await history(client, executionArn as string))).toEqual(['WaitStateEntered:WaitUntilDue']);
  });

  it('resumes a long-slept Wait at that Wait, entering it once', async () => {
    const invoke = vi.fn<Invoke>().mockResolvedValue(evaluation('done'));
    const log: string[] = [];
    // Waits above 50 ms count as long here, so the resumption is seen in a test.
    const { stand, client } = await start(invoke, { longWaitMs: 50, log: (line) => log.push(line) });
    const stateMachineArn = stand.registerStateMachine({ name: 'SlaTimer', definition: slaDefinition() });

    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ wakeAt: inMs(150) }) }),
    );
    const described = await finished(client, executionArn as string);

    expect(described.status).toBe('SUCCEEDED');
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(entered(await history(client, executionArn as string))).toEqual([
      'WaitStateEntered:WaitUntilDue',
      'TaskStateEntered:Evaluate',
      'ChoiceStateEntered:Again?',
      'SucceedStateEntered:Done',
    ]);
    expect(log.filter((line) => line.includes('longer than a Node timer'))).toHaveLength(1);
  });

  it('answers bad requests with the errors the SDK knows', async () => {
    const { stand, client } = await start(async () => ({}));
    const stateMachineArn = stand.registerStateMachine({ name: 'SlaTimer', definition: slaDefinition() });
    const missing = 'arn:aws:states:eu-central-1:000000000000:stateMachine:Nope';

    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'has space' }))).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'x'.repeat(81) }))).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, input: '{"wakeAt":' }))).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: missing }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: 'not-an-arn' }))).rejects.toMatchObject({ name: 'InvalidArn' });
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:nope` })),
    ).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    await expect(
      client.send(new StopExecutionCommand({ executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:nope` })),
    ).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    await expect(client.send(new ListExecutionsCommand({}))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('lists and describes state machines and executions', async () => {
    const { stand, client } = await start(async () => evaluation('done'));
    const definition = slaDefinition();
    const stateMachineArn = stand.registerStateMachine({ name: 'SlaTimer', definition, roleArn: 'arn:aws:iam::000000000000:role/sla' });
    const done = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'done', input: JSON.stringify({ wakeAt: inMs(-1) }) }),
    );
    await finished(client, done.executionArn as string);
    const waiting = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'waiting', input: JSON.stringify({ wakeAt: inMs(60_000) }) }),
    );

    const all = await client.send(new ListExecutionsCommand({ stateMachineArn }));
    const runningOnly = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    const paged = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
    const nextPage = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1, nextToken: paged.nextToken }));
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    const machines = await client.send(new ListStateMachinesCommand({}));

    expect(all.executions?.map((execution) => execution.name).sort()).toEqual(['done', 'waiting']);
    expect(runningOnly.executions?.map((execution) => execution.executionArn)).toEqual([waiting.executionArn]);
    expect([...(paged.executions ?? []), ...(nextPage.executions ?? [])].map((execution) => execution.name).sort()).toEqual([
      'done',
      'waiting',
    ]);
    expect(nextPage.nextToken).toBeUndefined();
    expect(described).toMatchObject({
      name: 'SlaTimer',
      type: 'STANDARD',
      status: 'ACTIVE',
      roleArn: 'arn:aws:iam::000000000000:role/sla',
    });
    expect(JSON.parse(described.definition as string)).toEqual(definition);
    expect(machines.stateMachines?.map((machine) => machine.stateMachineArn)).toEqual([stateMachineArn]);
  });

  it('refuses definitions it cannot run when they are registered', async () => {
    const { stand } = await start(async () => ({}));

    expect(() =>
      stand.registerStateMachine({
        name: 'Queue',
        definition: {
          StartAt: 'Send',
          States: {
            Send: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sqs:sendMessage',
              Parameters: { QueueUrl: 'q', MessageBody: 'm' },
              End: true,
            },
          },
        },
      }),
    ).toThrow(/sqs:sendMessage/);
    expect(() => stand.registerStateMachine({ name: 'Jsonata', definition: { ...slaDefinition(), QueryLanguage: 'JSONata' } })).toThrow(
      /JSONata/,
    );
    expect(() =>
      stand.registerStateMachine({ name: 'Broken', definition: { StartAt: 'Missing', States: { Done: { Type: 'Succeed' } } } }),
    ).toThrow(/Broken/);
  });
});
