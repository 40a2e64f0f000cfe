import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synthesize } from './synthesize.js';

/**
 * cdk-nag 3 reports through CDK's policy-validation framework, not through annotations, so the pack
 * runs here directly over each synthesized stack and every finding not acknowledged is listed.
 */
function unacknowledgedFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`),
  );
}

describe.each([
  ['without CORS', {}],
  ['with CORS origins', { 'switchboard:corsAllowOrigins': ['https://desk.example.com', 'https://admin.example.com'] }],
  [
    'with a mail domain and a configuration set',
    { 'switchboard:mailDomain': 'help.example.com', 'switchboard:sesConfigurationSet': 'tracking' },
  ],
  ['with MFA optional and an alarm address', { 'switchboard:mfa': 'optional', 'switchboard:alarmEmail': 'ops@example.com' }],
  [
    'with an Amazon Connect instance',
    {
      'switchboard:connectInstanceArn': 'arn:aws:connect:eu-central-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      'switchboard:connectCallbackFlowId': 'flow-id',
      'switchboard:connectQueueIds': { customers: 'q1', stores: 'q2', marketplace: 'q3', other: 'q4', escalations: 'q5' },
    },
  ],
])('cdk-nag AwsSolutions %s', (_variant, context) => {
  const { stateful, api, email, routing, sla, telephony } = synthesize({ context });
  const stacks: [string, Stack][] = [
    ['stateful', stateful],
    ['api', api],
    ['email', email],
    ['routing', routing],
    ['sla', sla],
    ...(telephony ? [['telephony', telephony] as [string, Stack]] : []),
  ];

  it.each(stacks)('finds no unacknowledged error or warning in the %s stack', (_name, stack) => {
    expect(unacknowledgedFindings(stack)).toEqual([]);
  });

  it.each(stacks)('leaves no CDK error or warning annotation on the %s stack', (_name, stack) => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('the acknowledgements', () => {
  it('are what keeps the pack quiet: the same checks flag a bucket that has none', () => {
    // Prepare: a bare bucket, with no logging, TLS policy or acknowledgement.
    const stack = new Stack(new App(), 'Probe');
    new Bucket(stack, 'Bare');

    // Act
    const findings = unacknowledgedFindings(stack);

    // Assess
    expect(findings).toEqual(
      expect.arrayContaining([expect.stringContaining('AwsSolutions-S1'), expect.stringContaining('AwsSolutions-S10')]),
    );
  });

  // With a Connect instance, so the telephony stack's acknowledgements are held to the same rules.
  const { app } = synthesize({
    context: {
      'switchboard:connectInstanceArn': 'arn:aws:connect:eu-central-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      'switchboard:connectCallbackFlowId': 'flow-id',
      'switchboard:connectQueueIds': { customers: 'q1', stores: 'q2', marketplace: 'q3', other: 'q4', escalations: 'q5' },
    },
  });

  it('each carry a written reason', () => {
    // Act
    const reasons = app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));

    // Assess
    expect(reasons.length).toBeGreaterThan(0);
    for (const [id, reason] of reasons) expect(reason.length, id).toBeGreaterThan(40);
  });

  it('admit Resource "*" only for X-Ray on each function and the SLA timer, and for dynamodb:ListStreams on the stream-triggered functions', () => {
    // Act
    const paths = app.node
      .findAll()
      .filter((construct) =>
        construct.node.metadata.some(
          (entry) =>
            entry.type === 'aws:cdk:acknowledged-rules' &&
            Object.keys(entry.data as Record<string, string>).some(
              (id) => id.replace(/^annotation::/i, '') === 'AwsSolutions-IAM5[Resource::*]',
            ),
        ),
      )
      .map((construct) => construct.node.path);

    // Assess
    const streamTriggered = paths.filter((path) => !path.endsWith('Function/Resource'));
    expect(paths.length).toBeGreaterThan(streamTriggered.length);
    // Exactly the functions on table streams, whose ListStreams needs Resource "*".
    expect(streamTriggered.sort()).toEqual([
      expect.stringMatching(/-Email\/OutboundMailFunction\/Role\/DefaultPolicy$/),
      expect.stringMatching(/-Email\/QuarantineReleaseFunction\/Role\/DefaultPolicy$/),
      expect.stringMatching(/-Routing\/BacklogDrainFunction\/Role\/DefaultPolicy$/),
      expect.stringMatching(/-Routing\/CaseWorkFunction\/Role\/DefaultPolicy$/),
      expect.stringMatching(/-Routing\/WorkRelayFunction\/Role\/DefaultPolicy$/),
      expect.stringMatching(/-Sla\/SlaRelayFunction\/Role\/DefaultPolicy$/),
      // X-Ray and log delivery of the SLA timer state machine.
      expect.stringMatching(/-Sla\/SlaTimerStateMachine\/Role\/DefaultPolicy$/),
      expect.stringMatching(/-Sla\/SlaTrackerFunction\/Role\/DefaultPolicy$/),
    ]);
  });

  it('admit other wildcards only under the mail prefixes, the SLA timer’s executions and the evaluator’s versions', () => {
    // Act
    const wildcards = app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
      .map((id) => id.replace(/^annotation::/i, ''))
      .filter((id) => id.startsWith('AwsSolutions-IAM5[Resource::') && id !== 'AwsSolutions-IAM5[Resource::*]');

    // Assess
    expect(wildcards.length).toBeGreaterThan(0);
    for (const id of wildcards) {
      expect(id).toMatch(
        /MailBucket[A-Za-z0-9]*\/(inbound|attachments|quarantine)\/\*\]$|:execution:Switchboard-[a-z0-9-]+-SlaTimer:\*\]$|<SlaEvaluatorFunction[A-F0-9]{8}\.Arn>:\*\]$|:instance\/[0-9a-f-]{36}\/contact\/\*\]$/,
      );
    }
  });
});
