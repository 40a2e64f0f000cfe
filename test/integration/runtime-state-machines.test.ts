import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { StackTemplate } from '#local/cloud-template';
import { freePort } from '#local/free-port';
import { startLocalRuntime } from '#local/runtime';
import type * as Synthesize from '#local/synthesize';

/**
 * A stack with a state machine beside the app's own (which has none yet): Wait until `$.wakeAt`,
 * then a Lambda invoke of a fixture handler, shaped as `cdk synth` writes it.
 */
const slaTestStack: StackTemplate = {
  stackName: 'SwitchboardSlaRuntimeTest',
  template: {
    Resources: {
      SlaTestEvaluateFunctionE447C81F: {
        Type: 'AWS::Lambda::Function',
        Properties: { Timeout: 30 },
        Metadata: { 'switchboard:entry': 'test/unit/local/state-machine-handler.fixture.ts' },
      },
      SlaTestStarterFunction1A2B3C4D: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { TEST_SLA_STATE_MACHINE_ARN: { Ref: 'SlaTestTimerAD950BFC' } } } },
        Metadata: { 'switchboard:entry': 'test/unit/local/state-machine-handler.fixture.ts' },
      },
      SlaTestTimerAD950BFC: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: {
            'Fn::Join': [
              '',
              [
                '{"StartAt":"WaitUntilDue","States":{"WaitUntilDue":{"Type":"Wait","TimestampPath":"$.wakeAt","Next":"Evaluate"},"Evaluate":{"End":true,"Type":"Task","OutputPath":"$.Payload","Resource":"arn:',
                { Ref: 'AWS::Partition' },
                ':states:::lambda:invoke","Parameters":{"FunctionName":"',
                { 'Fn::GetAtt': ['SlaTestEvaluateFunctionE447C81F', 'Arn'] },
                '","Payload.$":"$"}}},"TimeoutSeconds":31536000}',
              ],
            ],
          },
          StateMachineType: 'STANDARD',
        },
      },
    },
  },
};

vi.mock('#local/synthesize', async (importOriginal) => {
  const original = await importOriginal<typeof Synthesize>();
  return {
    ...original,
    synthesizeTemplates: (context?: Record<string, unknown>) => [...original.synthesizeTemplates(context), slaTestStack],
  };
});

const MACHINE_ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine:SlaTestTimer';

async function finished(client: SFNClient, executionArn: string): Promise<DescribeExecutionOutput> {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${executionArn} is still running`);
}

describe('the local runtime with a state machine in the template', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-sfn-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs it behind AWS_ENDPOINT_URL_SFN, and an execution left waiting goes on after a restart', async () => {
    // The same ports both times: handler modules stay loaded in this process with the endpoints of the first start.
    const [port, sesPort, eventsPort, stepFunctionsPort, smtpPort, dynamoDbPort, fauxqsPort] = (await Promise.all(
      Array.from({ length: 7 }, () => freePort()),
    )) as [number, number, number, number, number, number, number];
    const options = {
      port,
      sesPort,
      eventsPort,
      stepFunctionsPort,
      smtpPort,
      dynamoDbPort,
      fauxqsPort,
      dataDir,
      reset: false,
      logRequests: false,
    };
    const environment = { ...process.env };

    const first = await startLocalRuntime(options);
    const client = new SFNClient({
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const describedFirst = first.describe();
    const quick = await client.send(
      new StartExecutionCommand({
        stateMachineArn: MACHINE_ARN,
        name: 'quick',
        input: JSON.stringify({ caseId: 'q', wakeAt: new Date().toISOString() }),
      }),
    );
    const quickDone = await finished(client, quick.executionArn as string);
    const waiting = await client.send(
      new StartExecutionCommand({
        stateMachineArn: MACHINE_ARN,
        name: 'waiting',
        input: JSON.stringify({ caseId: 'w', wakeAt: new Date(Date.now() + 3000).toISOString() }),
      }),
    );
    await first.stop();

    for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
    const second = await startLocalRuntime(options);
    const resumed = await finished(client, waiting.executionArn as string);
    const history = await client.send(new GetExecutionHistoryCommand({ executionArn: waiting.executionArn }));
    await second.stop();

    expect(first.stepFunctionsUrl).toBe(`http://127.0.0.1:${stepFunctionsPort}`);
    expect(describedFirst).toContain(`Step Functions    ${first.stepFunctionsUrl}  (state machine SlaTestTimer: no executions)`);
    expect(process.env.TEST_SLA_STATE_MACHINE_ARN).toBe(MACHINE_ARN);
    expect(quickDone.status).toBe('SUCCEEDED');
    expect(JSON.parse(quickDone.output as string)).toMatchObject({
      caseId: 'q',
      action: 'done',
      functionName: 'SlaTestEvaluateFunction',
      stateMachineArn: MACHINE_ARN,
    });
    expect(resumed.status).toBe('SUCCEEDED');
    expect(history.events?.map((event) => event.type as string)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'ExecutionRestarted',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(JSON.parse(resumed.output as string)).toMatchObject({ caseId: 'w', action: 'done' });
  }, 240_000);
});
