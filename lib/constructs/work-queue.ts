import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface WorkQueueProps {
  /** What the queue carries, for the alarm descriptions (e.g. `inbound mail to turn into cases`). */
  purpose: string;
  /** Timeout of the Lambda function that consumes the queue. */
  consumerTimeout: Duration;
  /** The age alarm fires when the oldest message has waited longer than this. */
  maxMessageAge: Duration;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount?: number;
}

/**
 * Lambda advises a visibility timeout of at least six times the function timeout for SQS triggers,
 * so a batch that is retried after throttling is not delivered a second time meanwhile.
 */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * A standard SQS queue that a Lambda function consumes, with what every asynchronous path gets: a
 * dead-letter queue, encryption (SQS-managed keys), TLS-only access, an alarm when anything lands in
 * the dead-letter queue and one when messages wait too long. Both queues are retained with the stack,
 * like every store of work not yet done.
 */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly ageAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The maximum: a failure found after a long weekend can still be redriven.
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      // Shorter than the dead-letter queue's: a standard queue's message keeps its first enqueue
      // time when it moves there, so it still has at least 10 days in the dead-letter queue.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: `Messages of ${props.purpose} failed ${maxReceiveCount} times and wait in the dead-letter queue: fix the cause, then redrive them.`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // SQS publishes no data points for an idle queue.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.ageAlarm = new Alarm(this, 'AgeAlarm', {
      alarmDescription: `The oldest message of ${props.purpose} has waited more than ${props.maxMessageAge.toMinutes()} minutes: the consumer is failing, throttled or too slow.`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
      threshold: props.maxMessageAge.toSeconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
