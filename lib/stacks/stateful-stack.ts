import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { AGENT_STATE_TABLE, CASES_TABLE } from '../../functions/adapters/dynamodb/table-design.js';
import { ROLES, type Role } from '../../functions/domain/actor.js';
import { MAIL_INFREQUENT_ACCESS_AFTER_DAYS, type SwitchboardConfig } from '../config.js';
import { DesignedTable } from '../constructs/designed-table.js';

export interface StatefulStackProps extends StackProps {
  config: SwitchboardConfig;
}

/** Group precedence: when a user is in several groups, the lowest number decides the IAM role (none yet). */
const GROUP_PRECEDENCE: Record<Role, number> = { admins: 0, supervisors: 10, agents: 20 };

/** Days a deleted or overwritten mail object can still be restored; inside GDPR's one-month answer window. */
const MAIL_NONCURRENT_VERSION_DAYS = 30;

/** Days domain events stay in the archive for replay after a consumer's outage or bug. */
const EVENT_ARCHIVE_DAYS = 30;

/**
 * Everything whose loss or replacement would lose data or users: the two tables, the mail bucket,
 * the event bus and the Cognito user pool. All are retained when the stack is deleted, and nothing
 * here depends on a stateless stack, so those can be replaced freely.
 */
export class StatefulStack extends Stack {
  readonly casesTable: DesignedTable;
  readonly agentStateTable: DesignedTable;
  readonly mailBucket: Bucket;
  readonly accessLogBucket: Bucket;
  readonly eventBus: EventBus;
  readonly eventArchive: Archive;
  readonly userPool: UserPool;
  readonly agentDesktopClient: UserPoolClient;
  readonly userPoolGroups: Record<Role, CfnUserPoolGroup>;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Cases feed later consumers (SLA timers, domain events) through the stream.
    this.casesTable = new DesignedTable(this, 'CasesTable', { design: CASES_TABLE, stream: StreamViewType.NEW_AND_OLD_IMAGES });
    this.agentStateTable = new DesignedTable(this, 'AgentStateTable', { design: AGENT_STATE_TABLE });

    this.accessLogBucket = new Bucket(this, 'AccessLogBucket', {
      // S3 server access logging can only deliver to SSE-S3 buckets, not SSE-KMS.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the mail bucket; logging its own writes would log the logging.',
    });

    this.mailBucket = new Bucket(this, 'MailBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'mail-bucket/',
      lifecycleRules: [
        {
          // Raw MIME and attachments are read in the first days of a case, rarely after a month.
          id: 'age-and-expire-mail',
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(MAIL_INFREQUENT_ACCESS_AFTER_DAYS) },
          ],
          expiration: Duration.days(config.mailRetentionDays),
          noncurrentVersionExpiration: Duration.days(MAIL_NONCURRENT_VERSION_DAYS),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // Delete markers left once every older version has expired; S3 does not allow this in a rule with `expiration`.
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.eventBus = new EventBus(this, 'EventBus', { eventBusName: `switchboard-${config.stage}` });
    this.eventArchive = this.eventBus.archive('EventArchive', {
      description: `Domain events of switchboard-${config.stage}, kept for replay`,
      eventPattern: { account: [this.account] },
      retention: Duration.days(EVENT_ARCHIVE_DAYS),
    });

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `switchboard-${config.stage}`,
      // Staff are invited by an admin; nobody creates their own account.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      // Only `required` flags are fixed at creation (changing them replaces the pool): keep to email.
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus adds threat protection: compromised-credential checks and adaptive, risk-based MFA challenges.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional so an operator can enroll staff step by step; TOTP is offered to everyone, and Plus-tier threat protection (FULL_FUNCTION) challenges risky sign-ins with MFA. Set Mfa.REQUIRED once every user has enrolled.',
    });

    this.userPoolGroups = Object.fromEntries(
      ROLES.map((role) => [
        role,
        new CfnUserPoolGroup(this, `${capitalize(role)}Group`, {
          userPoolId: this.userPool.userPoolId,
          groupName: role,
          description: `Switchboard ${role}`,
          precedence: GROUP_PRECEDENCE[role],
        }),
      ]),
    ) as Record<Role, CfnUserPoolGroup>;

    this.agentDesktopClient = this.userPool.addClient('AgentDesktopClient', {
      userPoolClientName: 'agent-desktop',
      // A browser app cannot keep a secret.
      generateSecret: false,
      // SRP never sends the password; CDK always adds ALLOW_REFRESH_TOKEN_AUTH.
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // About one working week: agents sign in again on Monday, not every shift.
      refreshTokenValidity: Duration.days(7),
    });
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
