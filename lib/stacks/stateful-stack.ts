import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { type Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AGENT_STATE_TABLE, CASES_TABLE } from '#tables/table-design';
import { ROLES, type Role } from '#platform/domain/actor';
import { MAIL_INFREQUENT_ACCESS_AFTER_DAYS, type SwitchboardConfig } from '../config.js';
import { AlarmTopic } from '../constructs/alarm-topic.js';
import { DesignedTable } from '../constructs/designed-table.js';
import { WorkQueue } from '../constructs/work-queue.js';
import { EMAIL_INTAKE_TIMEOUT, MAIL_KEY_PREFIX, receiptRuleName, receiptRuleSetName } from '../mail.js';
import { pascalCase } from '../naming.js';
import { ROUTER_TIMEOUT, ROUTING_MAX_MESSAGE_AGE } from '../routing.js';

export interface StatefulStackProps extends StackProps {
  config: SwitchboardConfig;
}

/** Group precedence: when a user is in several groups, the lowest number decides the IAM role (none yet). */
const GROUP_PRECEDENCE: Record<Role, number> = { admins: 0, supervisors: 10, agents: 20 };

/** Days a deleted or overwritten mail object can still be restored; inside GDPR's one-month answer window. */
const MAIL_NONCURRENT_VERSION_DAYS = 30;

/** Days domain events stay in the archive for replay after a consumer's outage or bug. */
const EVENT_ARCHIVE_DAYS = 30;

/** Construct id of CDK's singleton Lambda function behind `Custom::S3BucketNotifications`, fixed in aws-s3. */
const S3_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** How long a received message may wait in the intake queue before the age alarm fires. */
const EMAIL_INTAKE_MAX_AGE = Duration.minutes(15);

/**
 * Everything whose loss or replacement would lose data or users: the two tables, the mail bucket
 * with its intake queue, the outbox failure queue, the event bus and the Cognito user pool. All are
 * retained when the stack is deleted, and nothing here depends on a stateless stack, so those can be
 * replaced freely.
 */
export class StatefulStack extends Stack {
  readonly casesTable: DesignedTable;
  readonly agentStateTable: DesignedTable;
  readonly mailBucket: Bucket;
  readonly accessLogBucket: Bucket;
  /** Carries the S3 notification of each raw message SES stores under `inbound/` to the intake function. */
  readonly emailIntake: WorkQueue;
  /**
   * The on-failure destination of the outbox's cases-table stream trigger (in the email stack): a
   * description of each stream record that failed every retry, kept for an operator to inspect.
   */
  readonly outboxFailures: Queue;
  /** Fires as soon as the outbox failure queue holds a message. */
  readonly outboxFailureAlarm: Alarm;
  /** Stream records of the routing triggers that failed every retry, kept for an operator. */
  readonly routingFailures: Queue;
  readonly routingFailureAlarm: Alarm;
  /** Stream records of the SLA triggers (tracker, relay) that failed every retry, kept for an operator. */
  readonly slaFailures: Queue;
  readonly slaFailureAlarm: Alarm;
  /** One SQS routing queue per case queue (with its dead-letter queue): requests to place work and offer timeouts. */
  readonly routingQueues: Record<string, WorkQueue>;
  readonly eventBus: EventBus;
  readonly eventArchive: Archive;
  readonly userPool: UserPool;
  readonly agentDesktopClient: UserPoolClient;
  readonly userPoolGroups: Record<Role, CfnUserPoolGroup>;
  /** The topic every alarm of the app notifies (see `NotifyEveryAlarm`). */
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { stage: config.stage, email: config.alarmEmail });

    // Cases feed later consumers (SLA timers, domain events) through the stream.
    this.casesTable = new DesignedTable(this, 'CasesTable', { design: CASES_TABLE, stream: StreamViewType.NEW_AND_OLD_IMAGES });
    // Routing's outbox: each change of a work item or an agent's live state is relayed from the stream.
    this.agentStateTable = new DesignedTable(this, 'AgentStateTable', {
      design: AGENT_STATE_TABLE,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });

    [this.accessLogBucket, this.mailBucket] = this.mailBuckets(config);
    this.emailIntake = this.receiveMail(config);
    [this.outboxFailures, this.outboxFailureAlarm] = this.failureQueue('Outbox', {
      purpose: 'the outbox stream trigger',
      alarm: 'Outbound mail failed every retry: see the outbox failure queue and the case messages with delivery status failed',
    });
    [this.routingFailures, this.routingFailureAlarm] = this.failureQueue('Routing', {
      purpose: 'the routing stream triggers (case work, work relay, backlog drain, and with Connect its agent events)',
      alarm:
        "A routing stream record failed every retry: a case may not have reached the backlog, a work event or offer timeout may be missing, a drain was skipped, or a Connect agent event did not reach the agent’s live state. Inspect the routing failure queue (each message names the stream and sequence numbers) and the routing functions' logs; the backlog recheck places waiting items again on its own.",
    });
    [this.slaFailures, this.slaFailureAlarm] = this.failureQueue('Sla', {
      purpose: 'the SLA stream triggers (tracker, relay)',
      alarm:
        'An SLA stream record failed every retry: a case’s clocks may not have moved, or a timer may not have started or stopped, or an sla.* event is missing. Inspect the SLA failure queue (each message names the stream and sequence numbers) and the SLA functions’ logs; the case’s next change brings its record up to date.',
    });
    // One routing queue per configured queue: a new queue in the configuration is a new SQS queue.
    this.routingQueues = Object.fromEntries(
      config.queues.map((queue) => [
        queue.name,
        new WorkQueue(this, `RoutingQueue${pascalCase(queue.name)}`, {
          purpose: `routing requests of the ${queue.name} queue`,
          consumerTimeout: ROUTER_TIMEOUT,
          maxMessageAge: ROUTING_MAX_MESSAGE_AGE,
        }),
      ]),
    );

    this.eventBus = new EventBus(this, 'EventBus', { eventBusName: `switchboard-${config.stage}` });
    this.eventArchive = this.eventBus.archive('EventArchive', {
      description: `Domain events of switchboard-${config.stage}, kept for replay`,
      eventPattern: { account: [this.account] },
      retention: Duration.days(EVENT_ARCHIVE_DAYS),
    });

    [this.userPool, this.userPoolGroups, this.agentDesktopClient] = this.staffSignIn(config);
  }

  /** The mail bucket (raw MIME and attachments, versioned) and the bucket of its server access logs. */
  private mailBuckets(config: SwitchboardConfig): [accessLogs: Bucket, mail: Bucket] {
    const accessLogs = new Bucket(this, 'AccessLogBucket', {
      // S3 server access logging can only deliver to SSE-S3 buckets, not SSE-KMS.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the mail bucket; logging its own writes would log the logging.',
    });

    const mail = new Bucket(this, 'MailBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
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
    return [accessLogs, mail];
  }

  /** Staff sign-in: the user pool, a group per role, and the agent desktop's client. */
  private staffSignIn(config: SwitchboardConfig): [UserPool, Record<Role, CfnUserPoolGroup>, UserPoolClient] {
    const userPool = new UserPool(this, 'UserPool', {
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
      // TOTP only: SMS codes can be intercepted (SIM swap) and cost per message.
      mfa: config.mfa === 'required' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus adds threat protection: compromised-credential checks and adaptive, risk-based MFA challenges.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Acknowledged only when the operator chose `switchboard:mfa=optional`: with the default the rule holds.
    if (config.mfa === 'optional') {
      Validations.of(userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'switchboard:mfa is optional in this deployment, so an operator can enroll staff step by step; TOTP is offered to everyone, and Plus-tier threat protection (FULL_FUNCTION) challenges risky sign-ins with MFA. The default (required) needs no acknowledgement.',
      });
    }

    const groups = Object.fromEntries(
      ROLES.map((role) => [
        role,
        new CfnUserPoolGroup(this, `${pascalCase(role)}Group`, {
          userPoolId: userPool.userPoolId,
          groupName: role,
          description: `Switchboard ${role}`,
          precedence: GROUP_PRECEDENCE[role],
        }),
      ]),
    ) as Record<Role, CfnUserPoolGroup>;

    const client = userPool.addClient('AgentDesktopClient', {
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
    return [userPool, groups, client];
  }

  /**
   * Lets SES store inbound mail under `inbound/` and notifies the intake queue of each new object.
   *
   * The SES statement lives here rather than in the email stack (CDK's S3 receipt action would add
   * it to this bucket from there, scoped by account only): naming the receipt rule in `aws:SourceArn`
   * by reference would make this stack import from the email stack while that one imports the
   * bucket, a cycle. The rule set and rule have fixed names per stage, so the ARN is written out.
   * The intake queue is here for the same reason: CDK puts the notification (a custom resource that
   * names the queue ARN) in the bucket's stack and a policy naming the bucket ARN on the queue.
   */
  private receiveMail(config: SwitchboardConfig): WorkQueue {
    const receiptRuleArn = this.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${receiptRuleSetName(config.stage)}:receipt-rule/${receiptRuleName(config.stage)}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.mailBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSesReceiptRuleToStoreInboundMail',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.mailBucket.arnForObjects(`${MAIL_KEY_PREFIX.inbound}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': receiptRuleArn } },
      }),
    );

    const intake = new WorkQueue(this, 'EmailIntake', {
      purpose: 'inbound mail to turn into cases',
      consumerTimeout: EMAIL_INTAKE_TIMEOUT,
      maxMessageAge: EMAIL_INTAKE_MAX_AGE,
    });
    this.mailBucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(intake.queue), {
      prefix: MAIL_KEY_PREFIX.inbound,
    });
    // CDK configures bucket notifications through a custom resource whose handler is a singleton of the stack.
    Validations.of(this.node.findChild(S3_NOTIFICATIONS_HANDLER_ID)).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's handler of Custom::S3BucketNotifications runs only during deployments; its role comes with AWSLambdaBasicExecutionRole (writing its own logs) and its one other grant is Get/PutBucketNotification on the mail bucket alone.",
    });
    return intake;
  }

  /**
   * A failure queue of stream triggers and its alarm. Not a `WorkQueue`: nothing consumes it, so it
   * has no dead-letter queue and no age alarm, only an alarm on any message in it. It lives here
   * rather than with the functions so that replacing their stack cannot delete failure records; the
   * event source mappings name it by an imported ARN and the send is granted on the functions' own
   * roles, so this stack still references nothing of another.
   */
  private failureQueue(prefix: string, text: { purpose: string; alarm: string }): [Queue, Alarm] {
    const queue = new Queue(this, `${prefix}FailureQueue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The maximum: a failure found after a long weekend can still be inspected.
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the failure destination of ${text.purpose}: it holds descriptions of stream records that failed every retry, for an operator to inspect; nothing consumes it.`,
    });
    const alarm = new Alarm(this, `${prefix}FailureAlarm`, {
      alarmDescription: text.alarm,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // SQS publishes no data points for an idle queue.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    return [queue, alarm];
  }
}
