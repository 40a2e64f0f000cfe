import { describe, expect, it } from 'vitest';
import { readCloudModel, resolveStateMachineDefinition, type StackTemplate } from '#local/cloud-template';

/** The definition text CDK 2.276 writes for Wait → LambdaInvoke → Choice, split around its references. */
const DEFINITION_PARTS = [
  '{"StartAt":"WaitUntilDue","States":{"WaitUntilDue":{"Type":"Wait","TimestampPath":"$.wakeAt","Next":"Evaluate"},"Evaluate":{"Next":"Again?","Type":"Task","ResultSelector":{"action.$":"$.Payload.action"},"Resource":"arn:',
  { Ref: 'AWS::Partition' },
  ':states:::lambda:invoke","Parameters":{"FunctionName":"',
  { 'Fn::GetAtt': ['EvaluateFunctionE447C81F', 'Arn'] },
  '","Payload.$":"$"}},"Again?":{"Type":"Choice","Choices":[{"Variable":"$.action","StringEquals":"wait","Next":"WaitUntilDue"}],"Default":"Done"},"Done":{"Type":"Succeed"}},"TimeoutSeconds":31536000}',
];

/** A fragment shaped like `cdk synth` output: a state machine, the function its task invokes, and one that starts it. */
function slaStack(machineOverrides: Record<string, unknown> = {}): StackTemplate {
  return {
    stackName: 'SwitchboardSla',
    template: {
      Resources: {
        EvaluateFunctionE447C81F: {
          Type: 'AWS::Lambda::Function',
          Properties: { Timeout: 30 },
          Metadata: { 'switchboard:entry': 'functions/sla/handlers/evaluate-sla.ts' },
        },
        StartTimerFunction1A2B3C4D: {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { SLA_STATE_MACHINE_ARN: { Ref: 'SlaTimerAD950BFC' } } } },
          Metadata: { 'switchboard:entry': 'functions/handlers/sla/start-timer.ts' },
        },
        SlaTimerAD950BFC: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: { 'Fn::Join': ['', DEFINITION_PARTS] },
            RoleArn: { 'Fn::GetAtt': ['SlaTimerRole6105A61E', 'Arn'] },
            StateMachineType: 'STANDARD',
            ...machineOverrides,
          },
        },
      },
    },
  };
}

/** Binds what the local runtime binds before it resolves definitions. */
function bindLikeTheRuntime(model: ReturnType<typeof readCloudModel>): void {
  model.bind('AWS::Partition', { ref: 'aws' });
  model.bind('AWS::Region', { ref: 'eu-central-1' });
  model.bind('AWS::AccountId', { ref: '000000000000' });
  for (const fn of model.functions.values()) {
    model.bind(fn.logicalId, {
      ref: fn.localName,
      attributes: { Arn: `arn:aws:lambda:eu-central-1:000000000000:function:${fn.localName}` },
    });
  }
}

describe('readCloudModel with a Step Functions state machine', () => {
  it('lists the state machine with its local name and its definition as the template writes it', () => {
    const model = readCloudModel([slaStack()]);

    expect(model.stateMachines).toEqual([
      {
        logicalId: 'SlaTimerAD950BFC',
        localName: 'SlaTimer',
        definition: { 'Fn::Join': ['', DEFINITION_PARTS] },
        substitutions: {},
        type: 'STANDARD',
        stackName: 'SwitchboardSla',
      },
    ]);
    expect(model.functions.get('EvaluateFunctionE447C81F')).toMatchObject({ localName: 'EvaluateFunction', timeoutSeconds: 30 });
    expect(model.functions.get('StartTimerFunction1A2B3C4D')).toMatchObject({ localName: 'StartTimerFunction', timeoutSeconds: 3 });
  });

  it('takes the StateMachineName property as the local name when it is a string', () => {
    const model = readCloudModel([slaStack({ StateMachineName: 'switchboard-sla-timer' })]);

    expect(model.stateMachines[0]?.localName).toBe('switchboard-sla-timer');
  });

  it('resolves the Fn::Join definition to JSON once the function and the partition are bound', () => {
    const model = readCloudModel([slaStack()]);
    const machine = model.stateMachines[0]!;

    expect(() => resolveStateMachineDefinition(model, machine)).toThrow(/cannot resolve/);
    bindLikeTheRuntime(model);
    const definition = resolveStateMachineDefinition(model, machine) as {
      States: Record<string, Record<string, unknown>>;
      TimeoutSeconds: number;
    };

    expect(definition.States.Evaluate).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:eu-central-1:000000000000:function:EvaluateFunction', 'Payload.$': '$' },
    });
    expect(Object.keys(definition.States)).toEqual(['WaitUntilDue', 'Evaluate', 'Again?', 'Done']);
    expect(definition.TimeoutSeconds).toBe(31_536_000);
  });

  it('puts DefinitionSubstitutions in for ${key}, resolving their references', () => {
    const model = readCloudModel([
      slaStack({
        DefinitionString: '{"StartAt":"Evaluate","States":{"Evaluate":{"Type":"Task","Resource":"${EvaluateArn}","End":true}}}',
        DefinitionSubstitutions: { EvaluateArn: { 'Fn::GetAtt': ['EvaluateFunctionE447C81F', 'Arn'] } },
      }),
    ]);
    bindLikeTheRuntime(model);

    expect(resolveStateMachineDefinition(model, model.stateMachines[0]!)).toEqual({
      StartAt: 'Evaluate',
      States: { Evaluate: { Type: 'Task', Resource: 'arn:aws:lambda:eu-central-1:000000000000:function:EvaluateFunction', End: true } },
    });
  });

  it('resolves references to the state machine (Ref: its ARN, GetAtt Name: its name) and Fn::Sub once bound', () => {
    const model = readCloudModel([slaStack()]);
    bindLikeTheRuntime(model);
    const arn = 'arn:aws:states:eu-central-1:000000000000:stateMachine:SlaTimer';
    model.bind('SlaTimerAD950BFC', { ref: arn, attributes: { Arn: arn, Name: 'SlaTimer' } });

    expect(model.resolve(model.functions.get('StartTimerFunction1A2B3C4D')?.environment.SLA_STATE_MACHINE_ARN, 'SwitchboardSla')).toBe(arn);
    expect(model.resolve({ 'Fn::GetAtt': ['SlaTimerAD950BFC', 'Name'] }, 'SwitchboardSla')).toBe('SlaTimer');
    expect(
      model.resolve(
        { 'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${SlaTimerAD950BFC.Name}:${!name}' },
        'SwitchboardSla',
      ),
    ).toBe('arn:aws:states:eu-central-1:000000000000:execution:SlaTimer:${name}');
    expect(model.resolve({ 'Fn::Join': ['/', [{ Ref: 'AWS::StackName' }, 'x']] }, 'SwitchboardSla')).toBe('SwitchboardSla/x');
  });

  it('has no state machines when the template has none', () => {
    const stack = slaStack();
    delete stack.template.Resources?.SlaTimerAD950BFC;

    expect(readCloudModel([stack]).stateMachines).toEqual([]);
  });
});
