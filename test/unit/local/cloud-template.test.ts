import { describe, expect, it } from 'vitest';
import { readCloudModel, type StackTemplate } from '#local/cloud-template';
import { agentEventSources } from '#local/kinesis-delivery';

/** A fragment shaped like `cdk synth` output: a Kinesis-triggered and an SQS-triggered function. */
function telephonyStack(mappingOverrides: Record<string, unknown> = {}): StackTemplate {
  return {
    stackName: 'SwitchboardTelephony',
    template: {
      Resources: {
        AgentEventStream4F1F0A2B: {
          Type: 'AWS::Kinesis::Stream',
          Properties: { ShardCount: 1, StreamEncryption: { EncryptionType: 'KMS' } },
        },
        AgentEventsFunction9A8B7C6D: {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { AGENT_EVENT_STREAM: { Ref: 'AgentEventStream4F1F0A2B' } } } },
          Metadata: { 'switchboard:entry': 'functions/handlers/events/agent-events.ts' },
        },
        AgentEventsFunctionKinesisEventSource1A2B3C4D: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            EventSourceArn: { 'Fn::GetAtt': ['AgentEventStream4F1F0A2B', 'Arn'] },
            FunctionName: { Ref: 'AgentEventsFunction9A8B7C6D' },
            StartingPosition: 'LATEST',
            BatchSize: 25,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
            BisectBatchOnFunctionError: true,
            MaximumRetryAttempts: 3,
            ...mappingOverrides,
          },
        },
        RoutingQueueA1B2C3D4: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } },
        RouterFunctionE5F6A7B8: {
          Type: 'AWS::Lambda::Function',
          Properties: {},
          Metadata: { 'switchboard:entry': 'functions/handlers/routing/router.ts' },
        },
        RouterFunctionSqsEventSourceC9D0E1F2: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            EventSourceArn: { 'Fn::GetAtt': ['RoutingQueueA1B2C3D4', 'Arn'] },
            FunctionName: { Ref: 'RouterFunctionE5F6A7B8' },
            BatchSize: 5,
          },
        },
      },
    },
  };
}

describe('readCloudModel with a Kinesis event source mapping', () => {
  it('makes the mapping a kinesis event source with its batch settings, beside the SQS one', () => {
    const model = readCloudModel([telephonyStack()]);

    expect(model.kinesisStreams).toEqual([{ logicalId: 'AgentEventStream4F1F0A2B', localName: 'AgentEventStream' }]);
    expect(model.eventSources).toEqual([
      {
        kind: 'kinesis',
        sourceLogicalId: 'AgentEventStream4F1F0A2B',
        functionLogicalId: 'AgentEventsFunction9A8B7C6D',
        batchSize: 25,
        reportBatchItemFailures: true,
        bisectBatchOnFunctionError: true,
        startingPosition: 'LATEST',
        filters: [],
      },
      {
        kind: 'sqs',
        sourceLogicalId: 'RoutingQueueA1B2C3D4',
        functionLogicalId: 'RouterFunctionE5F6A7B8',
        batchSize: 5,
        reportBatchItemFailures: false,
        bisectBatchOnFunctionError: false,
        startingPosition: null,
        filters: [],
      },
    ]);
  });

  it('defaults what the mapping leaves out and keeps its filter patterns', () => {
    const model = readCloudModel([
      telephonyStack({
        BatchSize: undefined,
        FunctionResponseTypes: undefined,
        BisectBatchOnFunctionError: undefined,
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { EventType: ['STATE_CHANGE'] } }) }] },
      }),
    ]);

    expect(model.eventSources.find((source) => source.kind === 'kinesis')).toMatchObject({
      batchSize: 10,
      reportBatchItemFailures: false,
      bisectBatchOnFunctionError: false,
      filters: [{ data: { EventType: ['STATE_CHANGE'] } }],
    });
  });

  it('resolves references to the stream to its local name, or to what the runtime binds', () => {
    const model = readCloudModel([telephonyStack()]);

    expect(model.resolve({ Ref: 'AgentEventStream4F1F0A2B' }, 'SwitchboardTelephony')).toBe('AgentEventStream');
    model.bind('AgentEventStream4F1F0A2B', {
      ref: 'AgentEventStream',
      attributes: { Arn: 'arn:aws:kinesis:eu-central-1:000000000000:stream/AgentEventStream' },
    });
    expect(model.resolve({ 'Fn::GetAtt': ['AgentEventStream4F1F0A2B', 'Arn'] }, 'SwitchboardTelephony')).toBe(
      'arn:aws:kinesis:eu-central-1:000000000000:stream/AgentEventStream',
    );
  });

  it('names the agent event stream and its functions for the local delivery route', () => {
    const found = agentEventSources(readCloudModel([telephonyStack()]));

    expect(found?.stream.logicalId).toBe('AgentEventStream4F1F0A2B');
    expect(found?.sources.map((source) => source.functionLogicalId)).toEqual(['AgentEventsFunction9A8B7C6D']);
  });

  it('finds no agent event stream in a template without Kinesis-triggered functions', () => {
    const stack = telephonyStack();
    delete stack.template.Resources?.AgentEventsFunctionKinesisEventSource1A2B3C4D;

    expect(agentEventSources(readCloudModel([stack]))).toBeNull();
  });
});

describe('readCloudModel with a generated secret', () => {
  const stack: StackTemplate = {
    stackName: 'SwitchboardApi',
    template: {
      Resources: {
        CursorSigningKey1A2B3C4D: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
        },
      },
    },
  };
  // How CDK writes `secret.secretValue` into a function's environment.
  const reference = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'CursorSigningKey1A2B3C4D' }, ':SecretString:::}}']] };

  it('resolves a dynamic reference to the secret to one generated value, fresh for each model', () => {
    const model = readCloudModel([stack]);
    const value = model.resolve(reference, 'SwitchboardApi');

    expect(value).toMatch(/^[\w-]{64}$/);
    expect(model.resolve(reference, 'SwitchboardApi')).toBe(value);
    expect(readCloudModel([stack]).resolve(reference, 'SwitchboardApi')).not.toBe(value);
  });

  it('refuses a dynamic reference it cannot resolve rather than passing it on', () => {
    const model = readCloudModel([stack]);

    expect(() => model.resolve('{{resolve:ssm:/switchboard/key}}', 'SwitchboardApi')).toThrow(/cannot resolve the dynamic reference/);
    expect(() => model.resolve('{{resolve:secretsmanager:Other:SecretString:::}}', 'SwitchboardApi')).toThrow(/dynamic reference/);
  });
});
