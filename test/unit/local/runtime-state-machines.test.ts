import { DescribeExecutionCommand, type DescribeExecutionOutput, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { bindStateMachines, readCloudModel, type StackTemplate } from '#local/cloud-template';
import { FunctionLoader, functionInvoker } from '#local/function-loader';
import { type StepFunctionsLocal, startStepFunctionsLocal } from '#local/services/stepfunctions-local';

const ENTRY = 'test/unit/local/state-machine-handler.fixture.ts';
const MACHINE_ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine:SlaTimer';
const LOCAL = { region: 'eu-central-1', account: '000000000000' };

/** A `cdk synth`-shaped stack: a Lambda invoke state machine, its function, and a function given the machine's ARN. */
function slaStack(): StackTemplate {
  return {
    stackName: 'SwitchboardSlaTest',
    template: {
      Resources: {
        EvaluateFunctionE447C81F: { Type: 'AWS::Lambda::Function', Properties: { Timeout: 30 }, Metadata: { 'switchboard:entry': ENTRY } },
        StartTimerFunction1A2B3C4D: {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { TEST_SLA_STATE_MACHINE_ARN: { Ref: 'SlaTimerAD950BFC' } } } },
          Metadata: { 'switchboard:entry': ENTRY },
        },
        SlaTimerAD950BFC: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: {
              'Fn::Join': [
                '',
                [
                  '{"StartAt":"WaitUntilDue","States":{"WaitUntilDue":{"Type":"Wait","TimestampPath":"$.wakeAt","Next":"Evaluate"},"Evaluate":{"End":true,"Type":"Task","ResultSelector":{"result.$":"$.Payload"},"Resource":"arn:',
                  { Ref: 'AWS::Partition' },
                  ':states:::lambda:invoke","Parameters":{"FunctionName":"',
                  { 'Fn::GetAtt': ['EvaluateFunctionE447C81F', 'Arn'] },
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
}

let stand: StepFunctionsLocal | null = null;

afterEach(async () => {
  await stand?.stop();
  stand = null;
  delete process.env.TEST_SLA_STATE_MACHINE_ARN;
});

async function finished(client: SFNClient, executionArn: string): Promise<DescribeExecutionOutput> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${executionArn} is still running`);
}

describe("the local runtime's wiring of a state machine in the template", () => {
  it('registers it, gives the functions its ARN, and runs its Lambda task with the real handler', async () => {
    const model = readCloudModel([slaStack()]);
    const functions = new FunctionLoader(model);
    stand = await startStepFunctionsLocal({ port: 0, dataDir: null, invokeFunction: functionInvoker(model, functions, LOCAL) });
    // As the local runtime wires them (local/runtime.ts).
    bindStateMachines(model, stand.registerStateMachine, LOCAL);
    functions.applyEnvironment();
    const client = new SFNClient({
      region: 'eu-central-1',
      endpoint: stand.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });

    const ok = await client.send(
      new StartExecutionCommand({
        stateMachineArn: MACHINE_ARN,
        name: 'case-1',
        input: JSON.stringify({ caseId: 'c-1', wakeAt: new Date().toISOString() }),
      }),
    );
    const failing = await client.send(
      new StartExecutionCommand({
        stateMachineArn: MACHINE_ARN,
        input: JSON.stringify({ caseId: 'c-2', fail: true, wakeAt: new Date().toISOString() }),
      }),
    );
    const succeeded = await finished(client, ok.executionArn as string);
    const failed = await finished(client, failing.executionArn as string);

    expect(process.env.TEST_SLA_STATE_MACHINE_ARN).toBe(MACHINE_ARN);
    expect(stand.stateMachines()).toEqual([{ name: 'SlaTimer', arn: MACHINE_ARN, executions: { SUCCEEDED: 1, FAILED: 1 } }]);
    expect(succeeded.status).toBe('SUCCEEDED');
    expect(JSON.parse(succeeded.output as string)).toEqual({
      result: {
        caseId: 'c-1',
        action: 'done',
        functionName: 'EvaluateFunction',
        invokedFunctionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:EvaluateFunction',
        hasTimeLeft: true,
        stateMachineArn: MACHINE_ARN,
      },
    });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'RangeError' });
    expect(JSON.parse(failed.cause as string)).toMatchObject({ errorType: 'RangeError', errorMessage: 'case c-2 cannot be evaluated' });
  });

  it('finds functions by name or ARN, qualified or not, and fails an unknown one as Lambda does', async () => {
    const model = readCloudModel([slaStack()]);
    const invoke = functionInvoker(model, new FunctionLoader(model), LOCAL);

    await expect(invoke('EvaluateFunction', { caseId: 'a' })).resolves.toMatchObject({ caseId: 'a', functionName: 'EvaluateFunction' });
    await expect(
      invoke('arn:aws:lambda:eu-central-1:000000000000:function:EvaluateFunction:$LATEST', { caseId: 'b' }),
    ).resolves.toMatchObject({ caseId: 'b' });
    await expect(invoke('arn:aws:lambda:eu-central-1:000000000000:function:Nope', {})).rejects.toMatchObject({
      name: 'Lambda.ResourceNotFoundException',
    });
  });
});
