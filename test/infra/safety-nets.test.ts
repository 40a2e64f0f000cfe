import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { resourcesOfType, synthesize } from './synthesize.js';

const CONNECT_CONTEXT = {
  'switchboard:connectInstanceArn': 'arn:aws:connect:eu-central-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  'switchboard:connectCallbackFlowId': 'flow-id',
  'switchboard:connectQueueIds': { customers: 'q1', stores: 'q2', marketplace: 'q3', other: 'q4', escalations: 'q5' },
};

type Json = Record<string, any>;

function acknowledgedRules(construct: IConstruct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .map((id) => id.replace(/^annotation::/i, ''));
}

describe('staff sign-in MFA', () => {
  describe('by default', () => {
    const { stateful } = synthesize();
    const pool = Object.values(resourcesOfType(Template.fromStack(stateful), 'AWS::Cognito::UserPool'))[0]!;

    it('is required, by TOTP only', () => {
      expect(pool.Properties).toMatchObject({ MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    });

    it('needs no acknowledgement of the MFA rule (AwsSolutions-COG2)', () => {
      expect(acknowledgedRules(stateful.userPool)).not.toContain('AwsSolutions-COG2');
    });
  });

  describe('with switchboard:mfa=optional', () => {
    const { stateful } = synthesize({ context: { 'switchboard:mfa': 'optional' } });
    const pool = Object.values(resourcesOfType(Template.fromStack(stateful), 'AWS::Cognito::UserPool'))[0]!;

    it('is optional, still by TOTP only', () => {
      expect(pool.Properties).toMatchObject({ MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    });

    it('acknowledges the MFA rule (AwsSolutions-COG2), which cdk-nag would flag otherwise', () => {
      expect(acknowledgedRules(stateful.userPool)).toContain('AwsSolutions-COG2');
    });
  });

  it('refuses any other value', () => {
    expect(() => synthesize({ context: { 'switchboard:mfa': 'off' } })).toThrow(/mfa/);
  });
});

describe.each([
  ['without Connect', {}],
  ['with Connect and an alarm address', { ...CONNECT_CONTEXT, 'switchboard:alarmEmail': 'ops@example.com' }],
])('nothing fails silently, %s', (_variant, context) => {
  const built = synthesize({ context });
  const stacks = [built.stateful, built.api, built.email, built.routing, built.sla, ...(built.telephony ? [built.telephony] : [])];
  const templates = stacks.map((stack): [Stack, Json] => [stack, Template.fromStack(stack).toJSON() as Json]);
  const topicId = built.stateful.getLogicalId(built.stateful.alarmTopic.topic.node.defaultChild as never);
  const resourcesOf = (type: string): [string, string, Json][] =>
    templates.flatMap(([stack, template]) =>
      Object.entries(template.Resources as Record<string, Json>)
        .filter(([, resource]) => resource.Type === type)
        .map(([id, resource]): [string, string, Json] => [stack.stackName, id, resource]),
    );

  it('has alarms in every stack that has any asynchronous path', () => {
    const stacksWithAlarms = new Set(resourcesOf('AWS::CloudWatch::Alarm').map(([stack]) => stack));
    expect(stacksWithAlarms).toContain(built.stateful.stackName);
    expect(stacksWithAlarms).toContain(built.email.stackName);
    expect(stacksWithAlarms).toContain(built.sla.stackName);
    if (built.telephony) expect(stacksWithAlarms).toContain(built.telephony.stackName);
  });

  it('lets every alarm of every stack notify the one alarm topic', () => {
    const alarms = resourcesOf('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(5);
    for (const [stack, id, alarm] of alarms) {
      const actions = JSON.stringify(alarm.Properties.AlarmActions ?? []);
      expect(alarm.Properties.AlarmActions, `${stack}/${id}`).toHaveLength(1);
      // The topic by Ref in its own stack, by an imported export elsewhere.
      expect(actions, `${stack}/${id}`).toMatch(
        stack === built.stateful.stackName ? new RegExp(`"Ref":"${topicId}"`) : new RegExp(topicId),
      );
    }
  });

  it('has exactly one SNS topic, with an email subscription only when an address is configured', () => {
    expect(resourcesOf('AWS::SNS::Topic')).toHaveLength(1);
    const subscriptions = resourcesOf('AWS::SNS::Subscription');
    if ('switchboard:alarmEmail' in context) {
      expect(subscriptions.map(([, , s]) => s.Properties)).toEqual([
        expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } }),
      ]);
    } else {
      expect(subscriptions).toEqual([]);
    }
  });

  it('gives every function that is an EventBridge target retries, a maximum age and an on-failure queue', () => {
    const targets = resourcesOf('AWS::Events::Rule').flatMap(([stack, , rule]) =>
      ((rule.Properties.Targets ?? []) as Json[]).map((target): [string, Json] => [stack, target]),
    );
    const lambdaTargets = targets.filter(([, target]) => JSON.stringify(target.Arn).includes('Function'));
    // The outbox requeue schedule and the SES delivery events rule, and with Connect the contact
    // events rule and the callback schedule.
    expect(lambdaTargets.length).toBe(built.telephony ? 4 : 2);
    const invokeConfigs = resourcesOf('AWS::Lambda::EventInvokeConfig');
    for (const [stack, target] of lambdaTargets) {
      // EventBridge's own hand-over: retried, then its dead-letter queue.
      expect(target.RetryPolicy, stack).toMatchObject({
        MaximumRetryAttempts: expect.any(Number),
        MaximumEventAgeInSeconds: expect.any(Number),
      });
      expect(target.DeadLetterConfig?.Arn, stack).toBeDefined();
      // Lambda's asynchronous invocation of that same function: retried, aged out, then the queue.
      const functionId: string = target.Arn['Fn::GetAtt'][0];
      const config = invokeConfigs.find(([s, , c]) => s === stack && c.Properties.FunctionName.Ref === functionId);
      expect(config, `${stack}: ${functionId} has no EventInvokeConfig`).toBeDefined();
      const properties = config![2].Properties;
      expect(properties.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(properties.MaximumEventAgeInSeconds).toBeGreaterThan(0);
      expect(properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][1]).toBe('Arn');
      expect(target.DeadLetterConfig.Arn).toEqual(properties.DestinationConfig.OnFailure.Destination);
    }
  });

  it('gives every asynchronous invocation config an on-failure queue that an alarm watches', () => {
    const alarmed = new Set(
      resourcesOf('AWS::CloudWatch::Alarm').flatMap(([stack, , alarm]) =>
        ((alarm.Properties.Dimensions ?? []) as Json[])
          .filter((dimension) => dimension.Name === 'QueueName')
          .map((dimension) => `${stack}:${JSON.stringify(dimension.Value)}`),
      ),
    );
    for (const [stack, id, config] of resourcesOf('AWS::Lambda::EventInvokeConfig')) {
      const queueId: string = config.Properties.DestinationConfig?.OnFailure?.Destination?.['Fn::GetAtt']?.[0];
      expect(queueId, `${stack}/${id}`).toBeDefined();
      expect(alarmed, `${stack}/${id}`).toContain(`${stack}:${JSON.stringify({ 'Fn::GetAtt': [queueId, 'QueueName'] })}`);
    }
  });

  it('gives every stream or queue event source a failure path (on-failure queue or the queue’s dead-letter queue)', () => {
    for (const [stack, id, mapping] of resourcesOf('AWS::Lambda::EventSourceMapping')) {
      const source = JSON.stringify(mapping.Properties.EventSourceArn);
      if (source.includes('Queue')) continue; // SQS: the queue's redrive policy, checked below
      expect(mapping.Properties.DestinationConfig?.OnFailure?.Destination, `${stack}/${id}`).toBeDefined();
      expect(mapping.Properties.MaximumRetryAttempts, `${stack}/${id}`).toBeGreaterThan(0);
    }
    const consumed = resourcesOf('AWS::SQS::Queue').filter(([, , queue]) => queue.Properties.RedrivePolicy !== undefined);
    expect(consumed.length).toBeGreaterThan(0);
  });
});

describe('the outbox requeue schedule', () => {
  const { email } = synthesize();
  const template = Template.fromStack(email);

  it('runs the requeue function every minute, with the failure queue as dead-letter queue and on-failure destination', () => {
    const functionId = email.getLogicalId(email.requeueFunction.function.node.defaultChild as never);
    const queueId = email.getLogicalId(email.requeueFailures.node.defaultChild as never);
    const rule = Object.values(resourcesOfType(template, 'AWS::Events::Rule')).find(
      (candidate) => candidate.Properties?.ScheduleExpression,
    );

    expect(rule!.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });
});
