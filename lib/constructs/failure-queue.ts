import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * Where the records or events a function failed on every retry wait for an operator (a dead-letter
 * queue or on-failure destination nothing consumes), with the alarm that fires on the first one.
 * Ids are `<name>FailureQueue` and `<name>FailureAlarm`.
 */
export function failureQueueWithAlarm(
  scope: Construct,
  name: string,
  options: { keeps: string; alarmDescription: string },
): { queue: Queue; alarm: Alarm } {
  const queue = new Queue(scope, `${name}FailureQueue`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the ${options.keeps}: it keeps what failed every retry for an operator; nothing consumes it.`,
  });
  const alarm = new Alarm(scope, `${name}FailureAlarm`, {
    alarmDescription: options.alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  return { queue, alarm };
}
