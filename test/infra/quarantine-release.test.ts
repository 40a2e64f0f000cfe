import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { QUARANTINE_RELEASE_FILTER } from '../../lib/stacks/email-stack.js';
import { actionsOf, functionIdOf, resourcesOfType, statementsOf, synthesize } from './synthesize.js';

const { stateful, email, statefulTemplate, emailTemplate } = synthesize();

const logicalIdOf = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const functionId = functionIdOf(emailTemplate, 'functions/email/handlers/release-quarantine.ts');
const statements = statementsOf(emailTemplate, functionId);
const resources = emailTemplate.toJSON().Resources;

/** What a `Fn::ImportValue` of the email stack stands for: the value the stateful stack exports under that name. */
function exported(value: unknown): unknown {
  const name = (value as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
  const output = Object.values(statefulTemplate.toJSON().Outputs ?? {}).find((candidate: any) => candidate.Export?.Name === name) as
    { Value: unknown } | undefined;
  if (!output) throw new Error(`no export for ${JSON.stringify(value)}`);
  return output.Value;
}

describe('the quarantine release function', () => {
  it('may read only quarantine/ and write only attachments/ and quarantine/ of the mail bucket, and list nothing', () => {
    // Act
    const s3 = statements
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')))
      .flatMap((statement) =>
        (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((resource) => {
          const [, [bucketArn, suffix]] = (resource as { 'Fn::Join': [string, [unknown, string]] })['Fn::Join'];
          return { actions: actionsOf(statement).sort(), bucket: exported(bucketArn), suffix };
        }),
      );

    // Assess
    const mailBucketArn = { 'Fn::GetAtt': [logicalIdOf(stateful, stateful.mailBucket), 'Arn'] };
    expect(s3).toEqual(
      expect.arrayContaining([
        { actions: ['s3:GetObject'], bucket: mailBucketArn, suffix: '/quarantine/*' },
        { actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'], bucket: mailBucketArn, suffix: '/attachments/*' },
        { actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'], bucket: mailBucketArn, suffix: '/quarantine/*' },
      ]),
    );
    expect(s3).toHaveLength(3);
  });

  it('holds no permission beyond the cases table, its stream, the bucket prefixes, its failure queue and its logs', () => {
    const services = new Set(statements.flatMap(actionsOf).map((action) => action.split(':')[0]));
    expect([...services].sort()).toEqual(['dynamodb', 'logs', 's3', 'sqs', 'xray']);
  });

  describe('its stream trigger', () => {
    const mappings = Object.values(resourcesOfType(emailTemplate, 'AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => JSON.stringify(mapping.Properties!.FunctionName) === JSON.stringify({ Ref: functionId }),
    );

    it("reads the cases table's stream from the oldest record", () => {
      expect(mappings).toHaveLength(1);
      expect(exported(mappings[0]!.Properties!.EventSourceArn)).toEqual({
        'Fn::GetAtt': [logicalIdOf(stateful, stateful.casesTable), 'StreamArn'],
      });
      expect(mappings[0]!.Properties).toMatchObject({ StartingPosition: 'TRIM_HORIZON' });
    });

    it('passes only case items released: status changed from quarantined to new (not closed)', () => {
      // Act
      const filters = mappings[0]!.Properties!.FilterCriteria.Filters as { Pattern: string }[];

      // Assess
      expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([QUARANTINE_RELEASE_FILTER]);
      expect(QUARANTINE_RELEASE_FILTER).toEqual({
        eventName: ['MODIFY'],
        dynamodb: {
          OldImage: { entity: { S: ['case'] }, status: { S: ['quarantined'] } },
          NewImage: { entity: { S: ['case'] }, status: { S: ['new'] } },
        },
      });
    });

    it('retries only what failed, 5 times, then sends the record to its failure queue, whose alarm fires at the first', () => {
      // Act
      const queueId = logicalIdOf(email, email.releaseFailures);
      const alarm = resources[logicalIdOf(email, email.releaseFailureAlarm)];

      // Assess
      expect(mappings[0]!.Properties).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      expect(resources[queueId].DeletionPolicy).toBe('Retain');
      expect(alarm.Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });
  });
});
