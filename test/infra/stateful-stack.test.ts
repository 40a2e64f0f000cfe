import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AGENT_STATE_TABLE, CASES_TABLE, type TableDesign } from '#tables/table-design';
import { ROLES } from '#platform/domain/actor';
import { resourcesOfType, synthesize } from './synthesize.js';

const { stateful, statefulTemplate: template, config } = synthesize();

function tableResource(constructId: 'CasesTable' | 'AgentStateTable') {
  const table = constructId === 'CasesTable' ? stateful.casesTable : stateful.agentStateTable;
  const logicalId = stateful.getLogicalId(table.node.defaultChild as CfnElement);
  return template.toJSON().Resources[logicalId];
}

describe.each([
  ['CasesTable', CASES_TABLE],
  ['AgentStateTable', AGENT_STATE_TABLE],
] as const)('the %s', (constructId, design: TableDesign) => {
  it('is on-demand, recoverable to the second, encrypted, TTL-enabled and protected from deletion', () => {
    // Prepare / act
    const table = tableResource(constructId);

    // Assess
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: design.partitionKey, KeyType: 'HASH' },
        { AttributeName: design.sortKey, KeyType: 'RANGE' },
      ],
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('has exactly the global secondary indexes of table-design.ts, each projecting all attributes', () => {
    // Prepare
    const expected = design.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }));

    // Act
    const indexes = tableResource(constructId).Properties.GlobalSecondaryIndexes;

    // Assess
    expect(indexes).toEqual(expected);
  });

  it('declares every key attribute as a string', () => {
    // Prepare
    const keys = [design.partitionKey, design.sortKey, ...design.indexes.flatMap((index) => [index.partitionKey, index.sortKey])];

    // Act
    const definitions = tableResource(constructId).Properties.AttributeDefinitions;

    // Assess
    expect(definitions).toEqual(expect.arrayContaining(keys.map((name) => ({ AttributeName: name, AttributeType: 'S' }))));
    expect(definitions).toHaveLength(keys.length);
  });
});

describe('the table streams', () => {
  it('stream new and old images from both tables (the outbox and routing read both)', () => {
    expect(tableResource('CasesTable').Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(tableResource('AgentStateTable').Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });
});

describe('the mail bucket', () => {
  const mailBucketId = stateful.getLogicalId(stateful.mailBucket.node.defaultChild as CfnElement);
  const accessLogBucketId = stateful.getLogicalId(stateful.accessLogBucket.node.defaultChild as CfnElement);
  const buckets = resourcesOfType(template, 'AWS::S3::Bucket');

  it('is encrypted, private, versioned, retained and logs access to the access-log bucket', () => {
    // Act
    const bucket = template.toJSON().Resources[mailBucketId];

    // Assess
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: accessLogBucketId } },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('moves mail to infrequent access after 30 days, expires it after the configured retention, and cleans up', () => {
    // Act
    const rules = template.toJSON().Resources[mailBucketId].Properties.LifecycleConfiguration.Rules;

    // Assess
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
          ExpirationInDays: config.mailRetentionDays,
          NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) },
        }),
        expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
      ]),
    );
  });

  it.each([
    ['mail', () => mailBucketId],
    ['access-log', () => accessLogBucketId],
  ])('the %s bucket refuses requests without TLS', (_name, bucketId) => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('has an access-log bucket that is encrypted, private and expires its logs', () => {
    // Act
    const bucket = buckets[accessLogBucketId]!;

    // Assess
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: config.logRetentionDays })] },
    });
  });
});

describe('the event bus', () => {
  it('is named after the stage', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: `switchboard-${config.stage}` });
  });

  it('archives its events for replay', () => {
    const busId = stateful.getLogicalId(stateful.eventBus.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      RetentionDays: 30,
    });
  });
});

describe('the user pool', () => {
  it('admits only invited staff, signs in by email too, and is retained', () => {
    // Act
    const pools = resourcesOfType(template, 'AWS::Cognito::UserPool');

    // Assess
    const [pool] = Object.values(pools) as any[];
    expect(Object.keys(pools)).toHaveLength(1);
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      AliasAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      DeletionProtection: 'ACTIVE',
    });
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('demands strong passwords, requires TOTP MFA by default and runs threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    const minimumLength = (Object.values(resourcesOfType(template, 'AWS::Cognito::UserPool'))[0] as any).Properties.Policies.PasswordPolicy
      .MinimumLength;
    expect(minimumLength).toBeGreaterThanOrEqual(12);
  });

  it('has one group per role', () => {
    // Act
    const groups = Object.values(resourcesOfType(template, 'AWS::Cognito::UserPoolGroup')).map((group) => group.Properties!.GroupName);

    // Assess
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has an agent-desktop client with no secret that signs in by SRP and refreshes tokens', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });
});
