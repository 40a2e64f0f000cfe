import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { CASES_TABLE } from '#tables/table-design';
import { OUTBOUND_MAIL_FAILED_METRIC, OUTBOUND_MAIL_FAILED_PATTERN, OUTBOX_FILTER } from '../../lib/stacks/email-stack.js';
import { buildApp } from '../../lib/switchboard-app.js';
import { actionsOf, functionIdOf, resourcesOfType, type Statement, statementsOf, synthesize } from './synthesize.js';

const INTAKE_ENTRY = 'functions/email/handlers/email-intake.ts';
const OUTBOX_ENTRY = 'functions/email/handlers/send-outbound.ts';
const FIXED_ENV = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'];

const { stateful, email, statefulTemplate, emailTemplate, config } = synthesize();

const logicalIdOf = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const mailBucketId = logicalIdOf(stateful, stateful.mailBucket);
const intakeQueueId = logicalIdOf(stateful, stateful.emailIntake.queue);
const deadLetterQueueId = logicalIdOf(stateful, stateful.emailIntake.deadLetterQueue);
const casesTableId = logicalIdOf(stateful, stateful.casesTable);
const failureQueueId = logicalIdOf(stateful, stateful.outboxFailures);
const statefulResources = statefulTemplate.toJSON().Resources;
const emailResources = emailTemplate.toJSON().Resources;
const mappingOf = (functionId: string) =>
  Object.values(resourcesOfType(emailTemplate, 'AWS::Lambda::EventSourceMapping')).filter(
    (mapping) => JSON.stringify(mapping.Properties!.FunctionName) === JSON.stringify({ Ref: functionId }),
  );

/** What a `Fn::ImportValue` of the email stack stands for: the value the stateful stack exports under that name. */
function exported(value: unknown): unknown {
  const name = (value as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
  const output = Object.values(statefulTemplate.toJSON().Outputs ?? {}).find((candidate: any) => candidate.Export?.Name === name) as
    { Value: unknown } | undefined;
  if (!output) throw new Error(`no export for ${JSON.stringify(value)}`);
  return output.Value;
}

/** An object ARN `<imported bucket arn><suffix>` as the bucket's own reference and the suffix. */
function objectArn(resource: unknown): { bucket: unknown; suffix: string } {
  const [, [bucketArn, suffix]] = (resource as { 'Fn::Join': [string, [unknown, string]] })['Fn::Join'];
  return { bucket: exported(bucketArn), suffix };
}

const mailBucketArn = { 'Fn::GetAtt': [mailBucketId, 'Arn'] };
/** `arn:<partition>:ses:<region>:<account>:<resource>` as the email stack writes it. */
const sesArn = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});
const resourcesOf = (statement: Statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]);

describe('the receipt rule set', () => {
  const ruleSets = Object.entries(resourcesOfType(emailTemplate, 'AWS::SES::ReceiptRuleSet'));
  const rules = Object.values(resourcesOfType(emailTemplate, 'AWS::SES::ReceiptRule'));

  it('is one set, named after the stage, with one rule in it', () => {
    expect(ruleSets).toHaveLength(1);
    expect(ruleSets[0]![1].Properties).toEqual({ RuleSetName: `switchboard-${config.stage}` });
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties!.RuleSetName).toEqual({ Ref: ruleSets[0]![0] });
  });

  it('takes all mail to the domain, scans it for spam and viruses, and requires TLS', () => {
    expect(rules[0]!.Properties!.Rule).toMatchObject({
      Name: `switchboard-${config.stage}-store-inbound`,
      Enabled: true,
      Recipients: [config.mailDomain],
      ScanEnabled: true,
      TlsPolicy: 'Require',
    });
  });

  it('stores each message in the mail bucket under inbound/, and does nothing else', () => {
    // Act
    const actions = rules[0]!.Properties!.Rule.Actions;

    // Assess
    expect(actions).toEqual([{ S3Action: { BucketName: expect.anything(), ObjectKeyPrefix: 'inbound/' } }]);
    expect(exported(actions[0].S3Action.BucketName)).toEqual({ Ref: mailBucketId });
  });

  it('follows the configured domain', () => {
    // Prepare
    const { emailTemplate: other } = synthesize({ context: { 'switchboard:mailDomain': 'help.example.com' } });

    // Act
    const [rule] = Object.values(resourcesOfType(other, 'AWS::SES::ReceiptRule'));

    // Assess
    expect(rule!.Properties!.Rule.Recipients).toEqual(['help.example.com']);
  });
});

describe('the mail bucket policy for SES', () => {
  const policy = Object.values(resourcesOfType(statefulTemplate, 'AWS::S3::BucketPolicy')).find(
    (candidate) => JSON.stringify(candidate.Properties!.Bucket) === JSON.stringify({ Ref: mailBucketId }),
  )!;
  const sesStatements = (policy.Properties!.PolicyDocument.Statement as any[]).filter((statement) =>
    JSON.stringify(statement.Principal ?? {}).includes('ses.amazonaws.com'),
  );

  it('lets SES put objects under inbound/ only, and nothing else', () => {
    expect(sesStatements).toHaveLength(1);
    expect(sesStatements[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [mailBucketArn, '/inbound/*']] },
    });
  });

  it('is scoped to this account and to the receipt rule of this stage by aws:SourceArn', () => {
    // Prepare
    const [rule] = Object.values(resourcesOfType(emailTemplate, 'AWS::SES::ReceiptRule'));
    const ruleSetName = `switchboard-${config.stage}`;

    // Act
    const condition = sesStatements[0].Condition;

    // Assess
    expect(Object.keys(condition)).toEqual(['StringEquals']);
    expect(condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(condition.StringEquals['aws:SourceArn']).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:receipt-rule-set/${ruleSetName}:receipt-rule/${rule!.Properties!.Rule.Name}`,
        ],
      ],
    });
  });

  it('keeps the stateful stack free of references to other stacks, so no cycle can form', () => {
    // Act
    const text = JSON.stringify(statefulTemplate.toJSON());

    // Assess
    expect(text).not.toContain('Fn::ImportValue');
    expect(stateful.dependencies).toEqual([]);
    expect(email.dependencies).toEqual([stateful]);
  });
});

describe('the S3 notification of new raw mail', () => {
  const notifications = Object.values(resourcesOfType(statefulTemplate, 'Custom::S3BucketNotifications'));

  it('sends every object created under inbound/ of the mail bucket to the intake queue, and nothing else', () => {
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.Properties!.BucketName).toEqual({ Ref: mailBucketId });
    expect(notifications[0]!.Properties!.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        {
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'inbound/' }] } },
          QueueArn: { 'Fn::GetAtt': [intakeQueueId, 'Arn'] },
        },
      ],
    });
  });

  it('may send to the intake queue only from the mail bucket', () => {
    // Act
    const statements = Object.values(resourcesOfType(statefulTemplate, 'AWS::SQS::QueuePolicy'))
      .filter((policy) => JSON.stringify(policy.Properties!.Queues) === JSON.stringify([{ Ref: intakeQueueId }]))
      .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as any[])
      .filter((statement) => statement.Effect === 'Allow');

    // Assess
    expect(statements).toEqual([
      expect.objectContaining({
        Principal: { Service: 's3.amazonaws.com' },
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Condition: { ArnLike: { 'aws:SourceArn': mailBucketArn } },
      }),
    ]);
  });
});

describe('the intake queue', () => {
  const intakeQueue = statefulResources[intakeQueueId];
  const deadLetterQueue = statefulResources[deadLetterQueueId];
  const functionId = functionIdOf(emailTemplate, INTAKE_ENTRY);
  const intakeFunction = emailTemplate.toJSON().Resources[functionId];

  it.each([
    ['intake queue', intakeQueueId],
    ['dead-letter queue', deadLetterQueueId],
  ])('the %s is encrypted with SQS-managed keys and retained', (_name, id) => {
    expect(statefulResources[id].Properties.SqsManagedSseEnabled).toBe(true);
    expect(statefulResources[id].DeletionPolicy).toBe('Retain');
  });

  it.each([
    ['intake queue', intakeQueueId],
    ['dead-letter queue', deadLetterQueueId],
  ])('the %s refuses requests without TLS', (_name, id) => {
    // Act
    const denials = Object.values(resourcesOfType(statefulTemplate, 'AWS::SQS::QueuePolicy'))
      .filter((policy) => JSON.stringify(policy.Properties!.Queues) === JSON.stringify([{ Ref: id }]))
      .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as any[])
      .filter((statement) => statement.Effect === 'Deny');

    // Assess
    expect(denials).toEqual([
      expect.objectContaining({ Action: 'sqs:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  it('moves a message to the dead-letter queue after 5 receives, which keeps it 14 days', () => {
    expect(intakeQueue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(deadLetterQueue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(intakeQueue.Properties.MessageRetentionPeriod).toBeLessThan(deadLetterQueue.Properties.MessageRetentionPeriod);
  });

  it('hides a received message for at least six times the intake function timeout', () => {
    expect(intakeFunction.Properties.Timeout).toEqual(expect.any(Number));
    expect(intakeQueue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * intakeFunction.Properties.Timeout);
  });

  it('alarms as soon as a message is in the dead-letter queue', () => {
    statefulTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
    });
  });

  it('alarms when the oldest message has waited more than 15 minutes', () => {
    statefulTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [intakeQueueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 15 * 60,
    });
  });
});

describe('the intake function', () => {
  const functionId = functionIdOf(emailTemplate, INTAKE_ENTRY);
  const intakeFunction = emailTemplate.toJSON().Resources[functionId];
  const variables = intakeFunction.Properties.Environment.Variables as Record<string, unknown>;
  const statements = statementsOf(emailTemplate, functionId);
  const statementsFor = (service: string) =>
    statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith(`${service}:`)));

  it('is triggered by the intake queue in batches of 5, at most 10 at a time, reporting failed messages one by one', () => {
    // Act
    const mappings = mappingOf(functionId);

    // Assess
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    expect(exported(mappings[0]!.Properties!.EventSourceArn)).toEqual({ 'Fn::GetAtt': [intakeQueueId, 'Arn'] });
  });

  it('has exactly the variables its bindings, the mail settings and the queues set', () => {
    expect(Object.keys(variables).sort()).toEqual(
      [
        ...FIXED_ENV,
        'CASES_TABLE_NAME',
        'MAIL_BUCKET_NAME',
        'EVENT_BUS_NAME',
        'MAIL_DOMAIN',
        'MAIL_INBOUND_ADDRESSES',
        'MAIL_DEFAULT_QUEUE',
        'REOPEN_WINDOW_DAYS',
        'MAX_ATTACHMENT_BYTES',
        'MAIL_MAX_ACKNOWLEDGEMENTS_PER_MINUTE',
        'SWITCHBOARD_QUEUES',
        'SWITCHBOARD_DEFAULT_QUEUE',
      ].sort(),
    );
  });

  it('points its resource variables at the cases table, the mail bucket and the event bus', () => {
    expect(exported(variables.CASES_TABLE_NAME)).toEqual({ Ref: logicalIdOf(stateful, stateful.casesTable) });
    expect(exported(variables.MAIL_BUCKET_NAME)).toEqual({ Ref: mailBucketId });
    expect(exported(variables.EVENT_BUS_NAME)).toEqual({ Ref: logicalIdOf(stateful, stateful.eventBus) });
  });

  it('gets the mail settings, the mail domain among them, from the configuration', () => {
    expect(variables).toMatchObject({
      MAIL_DOMAIN: config.mailDomain,
      MAIL_DEFAULT_QUEUE: 'other',
      REOPEN_WINDOW_DAYS: String(config.reopenWindowDays),
      MAX_ATTACHMENT_BYTES: String(config.maxAttachmentBytes),
      MAIL_MAX_ACKNOWLEDGEMENTS_PER_MINUTE: '60',
    });
    expect(JSON.parse(variables.MAIL_INBOUND_ADDRESSES as string)).toEqual({
      support: 'customers',
      stores: 'stores',
      partners: 'marketplace',
    });
  });

  it('may read raw mail only under inbound/ and write only under attachments/ and quarantine/ of the mail bucket', () => {
    // Act
    const s3 = statementsFor('s3').flatMap((statement) =>
      (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((resource) => ({
        actions: actionsOf(statement).sort(),
        ...objectArn(resource),
      })),
    );

    // Assess
    expect(s3).toEqual(
      expect.arrayContaining([
        { actions: ['s3:GetObject'], bucket: mailBucketArn, suffix: '/inbound/*' },
        { actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'], bucket: mailBucketArn, suffix: '/attachments/*' },
        { actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'], bucket: mailBucketArn, suffix: '/quarantine/*' },
      ]),
    );
    expect(s3).toHaveLength(3);
  });

  it('may not send mail: it only queues outbound messages in the cases table', () => {
    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('ses:') || action === '*')).toEqual([]);
  });

  it('holds no permission beyond its bindings, its queue and its logs', () => {
    // Act
    const services = new Set(statements.flatMap(actionsOf).map((action) => action.split(':')[0]));

    // Assess
    expect([...services].sort()).toEqual(['dynamodb', 'events', 'logs', 's3', 'sqs', 'xray']);
    expect(statementsFor('events')).toEqual([
      expect.objectContaining({
        Action: 'events:PutEvents',
        Resource: expect.objectContaining({ 'Fn::ImportValue': expect.stringContaining('EventBus') }),
      }),
    ]);
    expect(statementsFor('sqs').map((statement: Statement) => exported(statement.Resource))).toEqual([
      { 'Fn::GetAtt': [intakeQueueId, 'Arn'] },
    ]);
    expect(statementsFor('sqs').flatMap(actionsOf).sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
  });

  it('follows the configured mail domain', () => {
    // Prepare
    const { emailTemplate: other } = synthesize({ context: { 'switchboard:mailDomain': 'help.example.com' } });

    // Act
    const otherVariables = other.toJSON().Resources[functionIdOf(other, INTAKE_ENTRY)].Properties.Environment.Variables;

    // Assess
    expect(otherVariables.MAIL_DOMAIN).toBe('help.example.com');
  });

  describe('with an SES configuration set', () => {
    const { emailTemplate: withSet } = synthesize({ context: { 'switchboard:sesConfigurationSet': 'switchboard-tracking' } });
    const id = functionIdOf(withSet, INTAKE_ENTRY);

    it('still may not send mail, and is not told the set', () => {
      expect(
        statementsOf(withSet, id)
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('ses:')),
      ).toEqual([]);
      expect(withSet.toJSON().Resources[id].Properties.Environment.Variables).not.toHaveProperty('SES_CONFIGURATION_SET');
    });
  });
});

describe('the outbox', () => {
  const functionId = functionIdOf(emailTemplate, OUTBOX_ENTRY);
  const outboxFunction = emailResources[functionId];
  const statements = statementsOf(emailTemplate, functionId);
  const statementsFor = (service: string) =>
    statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith(`${service}:`)));
  /** The failure queue's ARN in the stateful template, where the queue is; the email stack imports it. */
  const failureQueueArn = { 'Fn::GetAtt': [failureQueueId, 'Arn'] };

  describe('the outbound-mail function', () => {
    it('has exactly the variables of its table and sender bindings', () => {
      // Act
      const variables = outboxFunction.Properties.Environment.Variables as Record<string, unknown>;

      // Assess
      expect(Object.keys(variables).sort()).toEqual([...FIXED_ENV, 'CASES_TABLE_NAME', 'MAIL_DOMAIN', 'SES_CONFIGURATION_SET'].sort());
      expect(exported(variables.CASES_TABLE_NAME)).toEqual({ Ref: casesTableId });
      expect(variables.MAIL_DOMAIN).toBe(config.mailDomain);
      expect(variables.SES_CONFIGURATION_SET).toBe(`switchboard-${config.stage}`);
    });

    it('may read and write the cases table and each of its indexes by name, and nothing else of DynamoDB but its stream', () => {
      // Act
      const table = statementsFor('dynamodb').filter((statement) => actionsOf(statement).includes('dynamodb:GetItem'));
      const resources = table
        .flatMap(resourcesOf)
        .map((resource) =>
          'Fn::Join' in (resource as object) ? (resource as { 'Fn::Join': [string, [unknown, string]] })['Fn::Join'][1] : [resource, ''],
        );

      // Assess
      expect(table).toHaveLength(1);
      expect(actionsOf(table[0]!).sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:UpdateItem',
      ]);
      expect(resources.map(([arn, suffix]) => [exported(arn), suffix])).toEqual([
        [{ 'Fn::GetAtt': [casesTableId, 'Arn'] }, ''],
        ...CASES_TABLE.indexes.map((index) => [{ 'Fn::GetAtt': [casesTableId, 'Arn'] }, `/index/${index.name}`]),
      ]);
    });

    it("may read the cases table's stream by its ARN, and list streams, which takes no resource", () => {
      // Act
      const stream = statementsFor('dynamodb').filter((statement) => !actionsOf(statement).includes('dynamodb:GetItem'));

      // Assess
      expect(stream.map((statement) => ({ actions: actionsOf(statement).sort(), resources: resourcesOf(statement) }))).toEqual([
        { actions: ['dynamodb:ListStreams'], resources: ['*'] },
        { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [expect.anything()] },
      ]);
      expect(exported(stream[1]!.Resource)).toEqual({ 'Fn::GetAtt': [casesTableId, 'StreamArn'] });
    });

    it('holds Resource "*" only for ListStreams and X-Ray, which support no resource-level permissions', () => {
      // Act
      const onAnything = statements.filter((statement) => resourcesOf(statement).includes('*')).flatMap(actionsOf);

      // Assess
      expect(onAnything.sort()).toEqual(['dynamodb:ListStreams', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    });

    it('may send mail only as the domain identity, through the stack’s configuration set', () => {
      expect(statementsFor('ses')).toEqual([
        {
          Effect: 'Allow',
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Resource: expect.arrayContaining([
            sesArn(`identity/${config.mailDomain}`),
            sesArn(`configuration-set/switchboard-${config.stage}`),
          ]),
        },
      ]);
      expect(statementsFor('ses')[0]!.Resource).toHaveLength(2);
    });

    it('may send only to its failure queue, and receive from no queue', () => {
      // Act
      const sqs = statementsFor('sqs');

      // Assess
      expect(sqs).toEqual([
        { Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: expect.anything() },
      ]);
      expect(exported(sqs[0]!.Resource)).toEqual(failureQueueArn);
    });

    it('holds no permission beyond its bindings, its stream, its failure queue and its logs', () => {
      // Act
      const services = new Set(statements.flatMap(actionsOf).map((action) => action.split(':')[0]));

      // Assess
      expect([...services].sort()).toEqual(['dynamodb', 'logs', 'ses', 'sqs', 'xray']);
      expect(statementsFor('logs')).toEqual([
        expect.objectContaining({ Resource: { 'Fn::GetAtt': [outboxFunction.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] } }),
      ]);
    });

    it('fails synthesis when any other action is granted on Resource "*", which the ListStreams acknowledgement would hide', () => {
      // Prepare
      const outdir = mkdtempSync(join(tmpdir(), 'switchboard-infra-'));
      const probe = buildApp({ nag: false, skipBundling: true, outdir });
      Grant.addToPrincipal({ grantee: probe.email.outboxFunction.role, actions: ['sqs:SendMessage'], resourceArns: ['*'] });

      // Act
      const synth = () => probe.app.synth();

      // Assess
      try {
        expect(synth).toThrow(/sqs:SendMessage is granted on Resource "\*"/);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    });
  });

  describe('the stream trigger', () => {
    const mappings = mappingOf(functionId);

    it("reads the cases table's stream from the oldest record, in batches of 10", () => {
      expect(mappings).toHaveLength(1);
      expect(exported(mappings[0]!.Properties!.EventSourceArn)).toEqual({ 'Fn::GetAtt': [casesTableId, 'StreamArn'] });
      expect(mappings[0]!.Properties).toMatchObject({ StartingPosition: 'TRIM_HORIZON', BatchSize: 10 });
    });

    it('passes only the records OUTBOX_FILTER matches: queued message items', () => {
      // Act
      const filters = mappings[0]!.Properties!.FilterCriteria.Filters as { Pattern: string }[];

      // Assess
      expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([OUTBOX_FILTER]);
      expect(OUTBOX_FILTER).toEqual({
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { NewImage: { entity: { S: ['message'] }, delivery: { M: { status: { S: ['queued'] } } } } },
      });
    });

    it('retries only what failed, 5 times, then sends the record to the failure queue of the stateful stack', () => {
      expect(mappings[0]!.Properties).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
      expect(Object.keys(mappings[0]!.Properties!.DestinationConfig.OnFailure)).toEqual(['Destination']);
      expect(exported(mappings[0]!.Properties!.DestinationConfig.OnFailure.Destination)).toEqual(failureQueueArn);
    });
  });

  describe('the failure queue', () => {
    const queue = statefulResources[failureQueueId];

    it('is in the stateful stack and retained, so replacing the email stack loses no failure records', () => {
      expect(queue.Type).toBe('AWS::SQS::Queue');
      expect(queue.DeletionPolicy).toBe('Retain');
      expect(queue.UpdateReplacePolicy).toBe('Retain');
      // The email stack's queues: the dead letters of the SES delivery events rule and of the requeue
      // schedule, which EventBridge needs in the rule's own stack, and of the quarantine release.
      expect(Object.keys(resourcesOfType(emailTemplate, 'AWS::SQS::Queue')).sort()).toEqual([
        expect.stringMatching(/^DeliveryEventsFailureQueue/),
        expect.stringMatching(/^OutboxRequeueFailureQueue/),
        expect.stringMatching(/^QuarantineReleaseFailureQueue/),
      ]);
    });

    it('is encrypted with SQS-managed keys and keeps messages 14 days', () => {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('refuses requests without TLS, and its policy allows nothing', () => {
      // Act
      const statements = [statefulTemplate, emailTemplate]
        .flatMap((template) => Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy')))
        .filter((policy) => JSON.stringify(policy.Properties!.Queues) === JSON.stringify([{ Ref: failureQueueId }]))
        .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as any[]);

      // Assess
      expect(statements).toEqual([
        {
          Effect: 'Deny',
          Action: 'sqs:*',
          Principal: { AWS: '*' },
          Resource: failureQueueArn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    });

    it('is consumed by no function', () => {
      // Act
      const sources = [statefulTemplate, emailTemplate]
        .flatMap((template) => Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')))
        .map((mapping) => mapping.Properties!.EventSourceArn);

      // Assess
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) expect('Fn::ImportValue' in source ? exported(source) : source).not.toEqual(failureQueueArn);
    });

    it('alarms as soon as a message is in it', () => {
      statefulTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failureQueueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });
  });

  describe('the error alarm', () => {
    const alarms = Object.values(resourcesOfType(emailTemplate, 'AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties!.Namespace === 'AWS/Lambda' && alarm.Properties!.MetricName === 'Errors',
    );

    it('fires on any error of the outbound-mail function within 5 minutes', () => {
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.Properties).toMatchObject({
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('says where failed sends are recorded', () => {
      expect(alarms[0]!.Properties!.AlarmDescription).toMatch(/deliveryStatus failed/);
      expect(alarms[0]!.Properties!.AlarmDescription).toMatch(/after 1, 5 and 30 minutes, 4 attempts in all \(throttling not counted\)/);
    });
  });

  describe('the failed-mail alarm', () => {
    const filters = Object.values(resourcesOfType(emailTemplate, 'AWS::Logs::MetricFilter'));
    const alarms = Object.entries(resourcesOfType(emailTemplate, 'AWS::CloudWatch::Alarm')).filter(
      ([, alarm]) => alarm.Properties!.MetricName === 'OutboundMailFailed',
    );

    it("counts the outbox function's log lines of a message that failed for good, 1 each, in the stage's namespace", () => {
      expect(filters).toHaveLength(1);
      expect(filters[0]!.Properties).toEqual({
        LogGroupName: { Ref: outboxFunction.Properties.LoggingConfig.LogGroup.Ref },
        FilterPattern: '{ $.message = "outbound email" && $.outcome = "failed" }',
        MetricTransformations: [{ MetricNamespace: `Switchboard/${config.stage}`, MetricName: 'OutboundMailFailed', MetricValue: '1' }],
      });
      expect(OUTBOUND_MAIL_FAILED_PATTERN).toBe(filters[0]!.Properties!.FilterPattern);
      expect(OUTBOUND_MAIL_FAILED_METRIC).toBe('OutboundMailFailed');
    });

    it('fires on the sum of that metric above 0 within 5 minutes, and not while nothing fails', () => {
      expect(alarms.map(([id]) => id)).toEqual([expect.stringMatching(/^OutboundMailFailedAlarm/)]);
      expect(alarms[0]![1].Properties).toMatchObject({
        Namespace: `Switchboard/${config.stage}`,
        MetricName: 'OutboundMailFailed',
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(alarms[0]![1].Properties).not.toHaveProperty('Dimensions');
    });

    it("tells the operator to look at case messages with deliveryStatus failed and at the outbox function's log", () => {
      const description = alarms[0]![1].Properties!.AlarmDescription as string;
      expect(description).toMatch(/case messages with deliveryStatus failed/);
      expect(description).toMatch(/outbox function's log/);
      expect(description).toMatch(/delivery\.error/);
    });

    it('follows the stage', () => {
      // Prepare
      const { emailTemplate: prod } = synthesize({ context: { 'switchboard:stage': 'prod' } });

      // Act
      const [filter] = Object.values(resourcesOfType(prod, 'AWS::Logs::MetricFilter'));
      const [alarm] = Object.values(resourcesOfType(prod, 'AWS::CloudWatch::Alarm')).filter(
        (candidate) => candidate.Properties!.MetricName === 'OutboundMailFailed',
      );

      // Assess
      expect(filter!.Properties!.MetricTransformations[0].MetricNamespace).toBe('Switchboard/prod');
      expect(alarm!.Properties!.Namespace).toBe('Switchboard/prod');
    });
  });

  describe('with an SES configuration set', () => {
    const { emailTemplate: withSet } = synthesize({ context: { 'switchboard:sesConfigurationSet': 'switchboard-tracking' } });
    const id = functionIdOf(withSet, OUTBOX_ENTRY);

    it('may also send through that configuration set, and nothing else', () => {
      // Act
      const ses = statementsOf(withSet, id).filter((statement) => actionsOf(statement).some((action) => action.startsWith('ses:')));

      // Assess
      expect(ses).toEqual([{ Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: expect.any(Array) }]);
      expect(ses[0]!.Resource).toHaveLength(2);
      expect(ses[0]!.Resource).toEqual(
        expect.arrayContaining([sesArn(`identity/${config.mailDomain}`), sesArn('configuration-set/switchboard-tracking')]),
      );
    });

    it('is told its name besides the table and the domain', () => {
      // Act
      const variables = withSet.toJSON().Resources[id].Properties.Environment.Variables;

      // Assess
      expect(Object.keys(variables).sort()).toEqual([...FIXED_ENV, 'CASES_TABLE_NAME', 'MAIL_DOMAIN', 'SES_CONFIGURATION_SET'].sort());
      expect(variables.SES_CONFIGURATION_SET).toBe('switchboard-tracking');
    });
  });
});

describe('bounces and complaints', () => {
  const sets = Object.values(resourcesOfType(emailTemplate, 'AWS::SES::ConfigurationSet'));
  const destinations = Object.values(resourcesOfType(emailTemplate, 'AWS::SES::ConfigurationSetEventDestination'));
  const rules = Object.values(resourcesOfType(emailTemplate, 'AWS::Events::Rule'));
  const recorderId = functionIdOf(emailTemplate, 'functions/email/handlers/ses-delivery-events.ts');

  it('come from a configuration set of the stage that publishes bounces and complaints to the default event bus', () => {
    expect(sets.map((set) => set.Properties!.Name)).toEqual([`switchboard-${config.stage}`]);
    expect(destinations).toHaveLength(1);
    expect(destinations[0]!.Properties).toEqual({
      ConfigurationSetName: `switchboard-${config.stage}`,
      EventDestination: {
        Name: 'bounces-and-complaints',
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        EventBridgeDestination: {
          EventBusArn: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default'],
            ],
          },
        },
      },
    });
  });

  it('reach the recorder through a rule on the default bus for SES’s bounce and complaint events only, with a dead-letter queue', () => {
    const rule = rules.find((candidate) => JSON.stringify(candidate.Properties!.Targets).includes(recorderId));

    expect(rule?.Properties!.EventPattern).toEqual({ source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] });
    expect(rule?.Properties!.EventBusName).toBe('default');
    expect(rule?.Properties!.Targets[0].DeadLetterConfig).toEqual({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryEventsFailureQueue/), 'Arn'] },
    });
  });

  it('are recorded by a function that knows only the cases table', () => {
    const variables = emailResources[recorderId].Properties.Environment.Variables as Record<string, unknown>;

    expect(Object.keys(variables).sort()).toEqual([...FIXED_ENV, 'CASES_TABLE_NAME'].sort());
    expect(
      statementsOf(emailTemplate, recorderId)
        .flatMap(actionsOf)
        .some((action) => action.startsWith('ses:')),
    ).toBe(false);
  });

  it('use the configured configuration set name when there is one', () => {
    const { emailTemplate: named } = synthesize({ context: { 'switchboard:sesConfigurationSet': 'switchboard-tracking' } });

    expect(Object.values(resourcesOfType(named, 'AWS::SES::ConfigurationSet')).map((set) => set.Properties!.Name)).toEqual([
      'switchboard-tracking',
    ]);
  });
});

describe('outputs', () => {
  const outputs = emailTemplate.toJSON().Outputs;

  it('publish the rule set name and the URLs of the intake queue, its dead-letter queue and the outbox failure queue', () => {
    expect(Object.keys(outputs).sort()).toEqual([
      'IntakeDeadLetterQueueUrl',
      'IntakeQueueUrl',
      'OutboxFailureQueueUrl',
      'ReceiptRuleSetName',
    ]);
    expect(exported(outputs.IntakeQueueUrl.Value)).toEqual({ Ref: intakeQueueId });
    expect(exported(outputs.IntakeDeadLetterQueueUrl.Value)).toEqual({ Ref: deadLetterQueueId });
    expect(exported(outputs.OutboxFailureQueueUrl.Value)).toEqual({ Ref: failureQueueId });
  });
});
