import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus, type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  CfnConfigurationSet,
  CfnConfigurationSetEventDestination,
  type IReceiptRuleAction,
  ReceiptRuleSet,
  type ReceiptRuleActionConfig,
  TlsPolicy,
} from 'aws-cdk-lib/aws-ses';
import { type IQueue, type Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '#platform/adapters/env-variables';
import type { SwitchboardConfig } from '../config.js';
import type { IIndexedTable } from '../constructs/designed-table.js';
import { failureQueueWithAlarm } from '../constructs/failure-queue.js';
import { SwitchboardFunction } from '../constructs/switchboard-function.js';
import { queueSettings } from '../queues.js';
import { EMAIL_INTAKE_TIMEOUT, MAIL_KEY_PREFIX, mailSettings, receiptRuleName, receiptRuleSetName } from '../mail.js';
import { CASES_TABLE_ENTITIES, newImageFilter } from '#tables/entities';

export interface EmailStackProps extends StackProps {
  config: SwitchboardConfig;
  casesTable: IIndexedTable;
  /** Where SES stores raw mail (`inbound/`) and the intake function stores attachments (`attachments/`). */
  mailBucket: IBucket;
  /** Receives an S3 notification for each object under `inbound/` of the mail bucket. */
  intakeQueue: IQueue;
  /** The intake queue's dead-letter queue, published as an output for redrives. */
  intakeDeadLetterQueue: IQueue;
  /**
   * Where the outbox's stream trigger puts a description of each record that failed every retry;
   * in the stateful stack (with its alarm), so replacing this stack keeps the failure records.
   */
  outboxFailureQueue: IQueue;
  eventBus: IEventBus;
}

/**
 * Stream records that reach the outbox: message items written with delivery status `queued` (new
 * mail, or mail queued again after a failed attempt). Every other write to the cases table is
 * filtered out by Lambda before any invocation.
 */
export const OUTBOX_FILTER = newImageFilter(CASES_TABLE_ENTITIES.message, { delivery: { M: { status: { S: ['queued'] } } } });
/**
 * Stream records that reach the quarantine release: a case item whose status changed from
 * `quarantined` to `new`, the release (supervisors and admins only). Closing a quarantined case,
 * which anyone who sees it may do, is no release: its attachments stay held.
 */
export const QUARANTINE_RELEASE_FILTER = {
  eventName: ['MODIFY'],
  dynamodb: {
    OldImage: { entity: { S: [CASES_TABLE_ENTITIES.case.tag] }, status: { S: ['quarantined'] } },
    NewImage: { entity: { S: [CASES_TABLE_ENTITIES.case.tag] }, status: { S: ['new'] } },
  },
};
/** Released cases per release invocation: each may move many attachments. */
const RELEASE_BATCH_SIZE = 5;

/** Queued messages per outbox invocation. */
const OUTBOX_BATCH_SIZE = 10;

/**
 * The outbox function's log line for a message whose send failed for good (see the handler
 * `send-outbound.ts`: Powertools writes one JSON object per line, with the log message under
 * `message`), i.e. one that the outbox has just recorded with delivery status `failed`.
 */
export const OUTBOUND_MAIL_FAILED_PATTERN = '{ $.message = "outbound email" && $.outcome = "failed" }';
/** Custom metric counting those lines, in the stage's namespace `Switchboard/<stage>`. */
export const OUTBOUND_MAIL_FAILED_METRIC = 'OutboundMailFailed';

/**
 * SES's EventBridge events about sent mail that the bounce recorder takes (see
 * `functions/email/domain/ses-delivery-event.ts`). SES publishes to the account's default bus only.
 */
export const SES_DELIVERY_EVENT_PATTERN = { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] };

/** The configuration set outbound mail names: the configured name, else one per stage. */
export function configurationSetName(config: Pick<SwitchboardConfig, 'stage' | 'sesConfigurationSet'>): string {
  return config.sesConfigurationSet ?? `switchboard-${config.stage}`;
}

/** Messages per intake invocation: up to 5 × 40 MiB of MIME stays well inside the function's memory. */
const INTAKE_BATCH_SIZE = 5;
/** Concurrent intake invocations: enough for a mail burst, few enough to leave DynamoDB and SES headroom. */
const INTAKE_MAX_CONCURRENCY = 10;

/**
 * Email-to-case: one SES receipt rule set whose one rule stores every message to the mail domain in
 * the mail bucket under `inbound/`, after SES's spam and virus scan (verdicts in the
 * `X-SES-Spam-Verdict` and `X-SES-Virus-Verdict` headers) and only over TLS; and the intake function,
 * fed by the stateful stack's intake queue, which maps each recipient address to its queue; and the
 * outbox function, which sends queued case mail and hands stream records that failed every retry to
 * the stateful stack's outbox failure queue.
 *
 * SES can write to the bucket because the stateful stack's bucket policy names this rule: see
 * `StatefulStack.receiveMail`. CloudFormation cannot activate a rule set; see docs/email-setup.md.
 */
export class EmailStack extends Stack {
  readonly ruleSet: ReceiptRuleSet;
  readonly intakeFunction: SwitchboardFunction;
  readonly outboxFunction: SwitchboardFunction;
  /** Fires when an outbox invocation fails as a whole (crash, timeout, failed start). */
  readonly outboxErrorAlarm: Alarm;
  /** Fires when the outbox records a message with delivery status `failed`: its send failed for good. */
  readonly outboundMailFailedAlarm: Alarm;
  /** Records SES's bounce and complaint events on the outbound messages and suppresses the addresses. */
  readonly deliveryEventsFunction: SwitchboardFunction;
  /** Moves a released case's attachments out of `quarantine/`. */
  readonly releaseFunction: SwitchboardFunction;
  /** Stream records of released cases whose attachments could not be moved after every retry. */
  readonly releaseFailures: Queue;
  readonly releaseFailureAlarm: Alarm;
  /** Every minute, queues again the outbound mail whose retry is due (1, 5, 30 minutes after a failed attempt). */
  readonly requeueFunction: SwitchboardFunction;
  /** Runs of the requeue schedule that failed every retry. */
  readonly requeueFailures: Queue;
  readonly requeueFailureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: EmailStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.ruleSet = new ReceiptRuleSet(this, 'ReceiptRuleSet', { receiptRuleSetName: receiptRuleSetName(config.stage) });
    this.ruleSet.addRule('StoreInbound', {
      receiptRuleName: receiptRuleName(config.stage),
      // A domain as recipient matches every address at it (not its subdomains).
      recipients: [config.mailDomain],
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [new StoreInBucket(props.mailBucket, MAIL_KEY_PREFIX.inbound)],
    });

    this.intakeFunction = new SwitchboardFunction(this, 'EmailIntakeFunction', {
      entry: 'functions/email/handlers/email-intake.ts',
      description: 'Switchboard email intake: raw mail from the mail bucket to cases',
      logRetention: config.logRetentionDays,
      timeout: EMAIL_INTAKE_TIMEOUT,
    })
      .bindTable(props.casesTable, ENV.casesTable, 'readWrite')
      .bindBucket(props.mailBucket, ENV.mailBucket, {
        read: [MAIL_KEY_PREFIX.inbound],
        write: [MAIL_KEY_PREFIX.attachments, MAIL_KEY_PREFIX.quarantine],
      })
      .bindEventBus(props.eventBus, ENV.eventBus)
      .addQueueTrigger(props.intakeQueue, { batchSize: INTAKE_BATCH_SIZE, maxConcurrency: INTAKE_MAX_CONCURRENCY });
    this.intakeFunction.setSettings(mailSettings(config)).setSettings(queueSettings(config));

    // The outbox: intake and the API only queue mail in the cases table, in the same transaction as
    // the case change; this function sends each queued message through SES and records it sent.
    this.outboxFunction = new SwitchboardFunction(this, 'OutboundMailFunction', {
      entry: 'functions/email/handlers/send-outbound.ts',
      description: 'Switchboard outbox: sends queued case mail through SES',
      logRetention: config.logRetentionDays,
      // Inside the outbox's 60 s lease, and long enough for SES to take a 40 MiB message.
      timeout: Duration.seconds(30),
    })
      .bindTable(props.casesTable, ENV.casesTable, 'readWrite')
      .bindEmailSender(config.mailDomain, createConfigurationSet(this, config))
      .addTableStreamTrigger(props.casesTable, {
        filters: [OUTBOX_FILTER],
        batchSize: OUTBOX_BATCH_SIZE,
        onFailure: props.outboxFailureQueue,
      });
    // The handler catches a failed send, records it on the message and reports the record in
    // `batchItemFailures`, so Errors counts only invocations that fail as a whole. Those are retried
    // and end in the failure queue too, but this alarm fires at the first one.
    this.outboxErrorAlarm = new Alarm(this, 'OutboxErrorAlarm', {
      alarmDescription:
        'The outbox function failed an invocation (crash, timeout or failed start): see its logs. Failed sends do not count here: each is retried after 1, 5 and 30 minutes, 4 attempts in all (throttling not counted), and then recorded on its case message with deliveryStatus failed (at once if SES refuses it for good, or if an attempt’s outcome is unknown), which OutboundMailFailedAlarm reports; stream records that fail every retry go to the outbox failure queue.',
      metric: this.outboxFunction.function.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // Lambda publishes no data points while the function is not invoked.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // A send that failed for good is handled, not an error: the function logs it and records it on the
    // case message, so only its log line can raise an alarm. The filter publishes 1 per such line and
    // nothing otherwise (no default value), so the metric has data only when mail failed.
    const failedMail = new MetricFilter(this, 'OutboundMailFailedMetricFilter', {
      logGroup: this.outboxFunction.logGroup,
      filterPattern: FilterPattern.literal(OUTBOUND_MAIL_FAILED_PATTERN),
      metricNamespace: `Switchboard/${config.stage}`,
      metricName: OUTBOUND_MAIL_FAILED_METRIC,
      metricValue: '1',
    });
    this.outboundMailFailedAlarm = new Alarm(this, 'OutboundMailFailedAlarm', {
      alarmDescription:
        'The outbox gave up on outbound mail (4 attempts failed, SES refused a message for good, or an attempt’s outcome is unknown and it is not sent again). Look at the case messages with deliveryStatus failed (GET /cases/{id}) and at the outbox function\'s log: each line with message "outbound email" and outcome "failed" names a caseId and messageItemId, and the message item\'s delivery.error in the cases table holds the error of its last attempt. Fix the cause, then set the item\'s delivery.status back to queued to send it again.',
      metric: failedMail.metric({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // The filter publishes data points only for failed sends.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    [this.releaseFunction, this.releaseFailures, this.releaseFailureAlarm] = this.quarantineRelease(props, config);

    this.deliveryEventsFunction = createDeliveryEventsFunction(this, props);
    [this.requeueFunction, this.requeueFailures, this.requeueFailureAlarm] = this.requeueSchedule(props, config);

    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: this.ruleSet.receiptRuleSetName,
      description: 'Activate with: aws ses set-active-receipt-rule-set --rule-set-name <this>',
    });
    new CfnOutput(this, 'IntakeQueueUrl', { value: props.intakeQueue.queueUrl });
    new CfnOutput(this, 'IntakeDeadLetterQueueUrl', {
      value: props.intakeDeadLetterQueue.queueUrl,
      description: 'Redrive from here once the cause is fixed',
    });
    new CfnOutput(this, 'OutboxFailureQueueUrl', {
      value: props.outboxFailureQueue.queueUrl,
      description: 'Stream records of mail that failed every send attempt: inspect, fix the cause, queue the message again',
    });
  }

  /**
   * The email feature's reaction to a released case: the cases API only commits the status change
   * (it has no access to the mail bucket), and this function, on the cases table stream, moves the
   * case's attachments from `quarantine/attachments/` to `attachments/`. It may read and write only
   * those two prefixes. A record that fails every retry goes to its failure queue, whose alarm
   * reports it; the release is idempotent, so a replay is safe.
   */
  private quarantineRelease(props: EmailStackProps, config: SwitchboardConfig): [SwitchboardFunction, Queue, Alarm] {
    const { queue: failures, alarm } = failureQueueWithAlarm(this, 'QuarantineRelease', {
      keeps: 'on-failure destination of the quarantine release stream trigger',
      alarmDescription:
        'A released case’s attachments could not be moved out of quarantine/ after every retry: its messages still name quarantine/ keys, which no download serves. The failure queue message names the stream record (the case); see the release function’s log line "quarantine release failed" for the cause. Once fixed, replay it: the failure message names the stream shard and sequence numbers; read those records (the stream keeps them 24 hours) and invoke the release function with them. The release is idempotent.',
    });
    const fn = new SwitchboardFunction(this, 'QuarantineReleaseFunction', {
      entry: 'functions/email/handlers/release-quarantine.ts',
      description: 'Switchboard email: moves a released case’s attachments out of quarantine',
      logRetention: config.logRetentionDays,
      timeout: Duration.minutes(1),
    })
      .bindTable(props.casesTable, ENV.casesTable, 'readWrite')
      .bindBucket(props.mailBucket, ENV.mailBucket, {
        read: [MAIL_KEY_PREFIX.quarantine],
        write: [MAIL_KEY_PREFIX.attachments, MAIL_KEY_PREFIX.quarantine],
      })
      .addTableStreamTrigger(props.casesTable, {
        filters: [QUARANTINE_RELEASE_FILTER],
        batchSize: RELEASE_BATCH_SIZE,
        onFailure: failures,
      });
    return [fn, failures, alarm];
  }

  /**
   * The outbox's backoff: a failed message waits as `retrying` with a retry item in the cases table,
   * and this schedule queues it again when due. Its failure queue lives here, not in the stateful
   * stack: EventBridge needs a queue policy for its dead letters, which CDK writes only in the
   * queue's own stack.
   */
  private requeueSchedule(props: EmailStackProps, config: SwitchboardConfig): [SwitchboardFunction, Queue, Alarm] {
    const { queue: failures, alarm } = failureQueueWithAlarm(this, 'OutboxRequeue', {
      keeps: 'dead-letter queue and on-failure destination of the outbox requeue schedule',
      alarmDescription:
        'A run of the outbox requeue schedule failed every retry: outbound mail waiting for its next attempt stays retrying until a run succeeds. See the requeue function’s logs; the next run picks up every due retry on its own.',
    });
    const fn = new SwitchboardFunction(this, 'OutboxRequeueFunction', {
      entry: 'functions/email/handlers/requeue-outbound.ts',
      description: 'Switchboard outbox: queues again the outbound mail whose retry is due',
      logRetention: config.logRetentionDays,
    }).bindTable(props.casesTable, ENV.casesTable, 'readWrite');
    const schedule = new Rule(this, 'OutboxRequeueSchedule', {
      description: 'Queues due retries of outbound mail again',
      schedule: OUTBOX_REQUEUE_SCHEDULE,
    });
    // A run is worth nothing once the next has come: each takes every due retry.
    fn.addEventRuleTrigger(schedule, { onFailure: failures, retryAttempts: 2, maxEventAge: Duration.minutes(5) });
    return [fn, failures, alarm];
  }
}

/** How often due retries of outbound mail are queued again: the resolution of the outbox's backoff. */
export const OUTBOX_REQUEUE_SCHEDULE = Schedule.rate(Duration.minutes(1));

/**
 * The configuration set every outbound message names, publishing bounces and complaints to the
 * default event bus (the only bus SES publishes to). @returns its name.
 */
function createConfigurationSet(stack: Stack, config: SwitchboardConfig): string {
  const name = configurationSetName(config);
  const set = new CfnConfigurationSet(stack, 'ConfigurationSet', { name });
  const destination = new CfnConfigurationSetEventDestination(stack, 'DeliveryEventDestination', {
    configurationSetName: name,
    eventDestination: {
      name: 'bounces-and-complaints',
      enabled: true,
      matchingEventTypes: ['bounce', 'complaint'],
      eventBridgeDestination: { eventBusArn: stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }) },
    },
  });
  destination.node.addDependency(set);
  return name;
}

/**
 * The bounce and complaint recorder, fed by a rule on the default bus. Events that fail every
 * retry wait in a dead-letter queue of this stack (EventBridge needs a queue policy that CDK
 * writes only in the queue's own stack), retained, with an alarm.
 */
function createDeliveryEventsFunction(stack: Stack, props: EmailStackProps): SwitchboardFunction {
  const fn = new SwitchboardFunction(stack, 'DeliveryEventsFunction', {
    entry: 'functions/email/handlers/ses-delivery-events.ts',
    description: 'Switchboard email: SES bounces and complaints onto outbound messages, and address suppression',
    logRetention: props.config.logRetentionDays,
  }).bindTable(props.casesTable, ENV.casesTable, 'readWrite');
  const { queue: failures } = failureQueueWithAlarm(stack, 'DeliveryEvents', {
    keeps: 'dead-letter queue of the SES delivery events rule',
    alarmDescription:
      'An SES bounce or complaint event failed every retry: an outbound message may lack its bounced/complained status and its address may still get acknowledgements. Inspect the delivery events failure queue and the function’s log.',
  });
  const rule = new Rule(stack, 'DeliveryEventsRule', {
    description: 'SES bounces and complaints about Switchboard mail',
    eventBus: EventBus.fromEventBusName(stack, 'DefaultBus', 'default'),
    eventPattern: SES_DELIVERY_EVENT_PATTERN,
  });
  // EventBridge's retries and dead letters cover the hand-over; Lambda's own async retries then end
  // in the same queue, so an event whose handler keeps throwing is kept, not dropped.
  fn.addEventRuleTrigger(rule, { onFailure: failures, retryAttempts: 8, maxEventAge: Duration.hours(24) });
  return fn;
}

/**
 * The receipt rule's S3 action, without the bucket policy CDK's `aws-ses-actions.S3` would add to
 * the bucket: that one is scoped by account only, and the stateful stack already scopes its own by
 * account and rule ARN.
 */
class StoreInBucket implements IReceiptRuleAction {
  constructor(
    private readonly bucket: IBucket,
    private readonly objectKeyPrefix: string,
  ) {}

  bind(): ReceiptRuleActionConfig {
    return { s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: this.objectKeyPrefix } };
  }
}
