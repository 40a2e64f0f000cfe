import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../lib/config.js';
import { REPO_ROOT } from '../../lib/repo-root.js';
import { actionsOf, functionIdOf, resourcesOfType, statementsOf, synthesize } from './synthesize.js';

const INSTANCE_ARN = 'arn:aws:connect:eu-central-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const CONNECT_CONTEXT = {
  'switchboard:stage': 'test',
  'switchboard:connectInstanceArn': INSTANCE_ARN,
  'switchboard:connectCallbackFlowId': 'ffffffff-1111-4222-8333-444444444444',
  'switchboard:connectQueueIds': {
    customers: 'q-customers',
    stores: 'q-stores',
    marketplace: 'q-marketplace',
    other: 'q-other',
    escalations: 'q-escalations',
  },
  'switchboard:callbackMaxAttempts': 4,
};
const LOOKUP_ENTRY = 'functions/telephony/handlers/customer-lookup.ts';
const OPEN_ENTRY = 'functions/telephony/handlers/open-or-link-case.ts';
const CONTACT_EVENTS_ENTRY = 'functions/telephony/handlers/contact-events.ts';
const DISPATCH_ENTRY = 'functions/telephony/handlers/dispatch-callbacks.ts';
const AGENT_EVENTS_ENTRY = 'functions/telephony/handlers/agent-events.ts';

describe('the telephony stack, with a Connect instance', () => {
  const { telephony } = synthesize({ context: CONNECT_CONTEXT });
  const template = Template.fromStack(telephony!);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

  it('associates both contact-flow functions with the instance, and lets only it invoke them, within 8 seconds', () => {
    for (const entry of [LOOKUP_ENTRY, OPEN_ENTRY]) {
      const fnId = functionIdOf(template, entry);
      template.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
        InstanceId: INSTANCE_ARN,
        IntegrationType: 'LAMBDA_FUNCTION',
        IntegrationArn: { 'Fn::GetAtt': [fnId, 'Arn'] },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
        Principal: 'connect.amazonaws.com',
        SourceArn: INSTANCE_ARN,
      });
      expect(resources[fnId]!.Properties.Timeout).toBeLessThanOrEqual(8);
    }
    const lookupWrites = statementsOf(template, functionIdOf(template, LOOKUP_ENTRY)).filter((statement) =>
      actionsOf(statement).some((action) => /Put|Update|Delete|Write/.test(action)),
    );
    expect(lookupWrites.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')))).toEqual([]);
  });

  it('creates the agent event stream (Kinesis), associates it with the instance and counts its records against agents’ capacity', () => {
    const [streamId] = Object.keys(resourcesOfType(template, 'AWS::Kinesis::Stream'));
    const agentEventsId = functionIdOf(template, AGENT_EVENTS_ENTRY);
    template.hasResourceProperties('AWS::Kinesis::Stream', { StreamModeDetails: { StreamMode: 'ON_DEMAND' }, RetentionPeriodHours: 24 });
    template.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      InstanceArn: INSTANCE_ARN,
      ResourceType: 'AGENT_EVENTS',
      StorageType: 'KINESIS_STREAM',
      KinesisStreamConfig: { StreamArn: { 'Fn::GetAtt': [streamId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: agentEventsId },
      EventSourceArn: { 'Fn::GetAtt': [streamId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    expect(resources[agentEventsId]!.Properties.Environment.Variables).toHaveProperty('AGENT_STATE_TABLE_NAME');
  });

  it('routes this instance’s contact events to the contact-events function, with a dead-letter queue and an alarm', () => {
    const rules = Object.values(resourcesOfType(template, 'AWS::Events::Rule'));
    const contactRule = rules.find((rule) => rule.Properties?.EventPattern)!;
    expect(contactRule.Properties!.EventPattern).toEqual({
      source: ['aws.connect'],
      'detail-type': ['Amazon Connect Contact Event'],
      detail: { instanceArn: [INSTANCE_ARN] },
    });
    expect(contactRule.Properties!.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [functionIdOf(template, CONTACT_EVENTS_ENTRY), 'Arn'] },
      DeadLetterConfig: { Arn: expect.anything() },
      RetryPolicy: { MaximumRetryAttempts: 8 },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('dials callbacks every minute, on this instance only, with the configured flow, queues and attempts', () => {
    const schedule = Object.values(resourcesOfType(template, 'AWS::Events::Rule')).find((rule) => rule.Properties?.ScheduleExpression)!;
    const dispatchId = functionIdOf(template, DISPATCH_ENTRY);
    expect(schedule.Properties!.ScheduleExpression).toBe('rate(1 minute)');
    expect(schedule.Properties!.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [dispatchId, 'Arn'] });

    const connectStatements = statementsOf(template, dispatchId).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('connect:')),
    );
    expect(connectStatements).toHaveLength(1);
    expect(actionsOf(connectStatements[0]!)).toEqual(['connect:StartOutboundVoiceContact']);
    expect(connectStatements[0]!.Resource).toBe(`${INSTANCE_ARN}/contact/*`);

    expect(resources[dispatchId]!.Properties.Environment.Variables).toMatchObject({
      CONNECT_INSTANCE_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      CONNECT_CALLBACK_FLOW_ID: 'ffffffff-1111-4222-8333-444444444444',
      CONNECT_QUEUE_IDS: JSON.stringify(CONNECT_CONTEXT['switchboard:connectQueueIds']),
      CALLBACK_MAX_ATTEMPTS: '4',
      CALLBACK_RETRY_MINUTES: '15',
    });
    // Only the dispatcher may place calls.
    for (const entry of [LOOKUP_ENTRY, OPEN_ENTRY, CONTACT_EVENTS_ENTRY]) {
      expect(
        statementsOf(template, functionIdOf(template, entry))
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('connect:')),
      ).toEqual([]);
    }
  });

  it('outputs the function ARNs the example contact flow names, and the example’s actions link up', () => {
    const flow = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/connect/example-inbound-flow.json'), 'utf8')) as {
      StartAction: string;
      Actions: { Identifier: string; Type: string; Parameters: Record<string, any>; Transitions: Record<string, any> }[];
    };
    const ids = new Set(flow.Actions.map((action) => action.Identifier));
    const targets = flow.Actions.flatMap((action) => [
      action.Transitions.NextAction,
      ...(action.Transitions.Errors ?? []).map((error: { NextAction: string }) => error.NextAction),
      ...(action.Transitions.Conditions ?? []).map((condition: { NextAction: string }) => condition.NextAction),
    ]).filter((target): target is string => target !== undefined);
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    const lambdaPlaceholders = flow.Actions.filter((action) => action.Type === 'InvokeLambdaFunction').map((action) =>
      String(action.Parameters.LambdaFunctionARN).replace(/^\$\{(.+)\}$/, '$1'),
    );

    expect(ids.has(flow.StartAction)).toBe(true);
    expect(targets.filter((target) => !ids.has(target))).toEqual([]);
    expect(lambdaPlaceholders.sort()).toEqual(['CustomerLookupFunctionArn', 'OpenOrLinkCaseFunctionArn']);
    for (const placeholder of lambdaPlaceholders) expect(outputs).toContain(placeholder);
    for (const action of flow.Actions.filter((candidate) => candidate.Type === 'InvokeLambdaFunction')) {
      expect(action.Parameters).toMatchObject({ InvocationTimeLimitSeconds: '8', ResponseValidation: { ResponseType: 'STRING_MAP' } });
    }
  });
});

describe('without a Connect instance', () => {
  const built = synthesize({ context: { 'switchboard:stage': 'test' } });

  it('leaves the telephony stack out and says so in the synth output', () => {
    expect(built.telephony).toBeNull();
    expect(built.app.node.children.map((child) => child.node.id)).not.toContain('Switchboard-test-Telephony');
    const info = built.app.node.metadata.filter((entry) => entry.type === 'aws:cdk:info').map((entry) => String(entry.data));
    expect(info.some((text) => text.includes('telephony stack') && text.includes('left out'))).toBe(true);
  });

  it('deploys no Kinesis stream and no agent event consumer: nothing of Connect is paid for', () => {
    const stacks = [built.stateful, built.api, built.email, built.routing, built.sla];
    const types = stacks.flatMap((stack) =>
      Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>).map((resource) => resource.Type),
    );
    const entries = stacks.flatMap((stack) =>
      Object.values(resourcesOfType(Template.fromStack(stack), 'AWS::Lambda::Function')).map(
        (resource) => resource.Metadata?.['switchboard:entry'],
      ),
    );

    expect(types.filter((type) => type.startsWith('AWS::Kinesis::') || type.startsWith('AWS::Connect::'))).toEqual([]);
    expect(entries).not.toContain(AGENT_EVENTS_ENTRY);
  });

  it('refuses an instance without the callback flow or a queue’s Connect queue id, naming the key', () => {
    const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

    expect(() => configFrom({ 'switchboard:connectInstanceArn': INSTANCE_ARN })).toThrow(/switchboard:connectCallbackFlowId/);
    expect(() =>
      configFrom({
        'switchboard:connectInstanceArn': INSTANCE_ARN,
        'switchboard:connectCallbackFlowId': 'flow',
        'switchboard:connectQueueIds': { customers: 'q' },
      }),
    ).toThrow(/switchboard:connectQueueIds/);
    expect(() => configFrom({ 'switchboard:connectInstanceArn': 'arn:aws:connect:eu-central-1:123:instance/x' })).toThrow(
      /switchboard:connectInstanceArn/,
    );
  });
});
