import { type IAspect, Validations } from 'aws-cdk-lib';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';

export interface AlarmTopicProps {
  stage: string;
  /** Subscribed by email when set (`switchboard:alarmEmail`); AWS sends it a confirmation link first. */
  email?: string | undefined;
}

/**
 * The one SNS topic every alarm of the app notifies. An operator subscribes whatever reaches them
 * (email through `switchboard:alarmEmail`, or a chat or paging integration by hand), once.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: `Switchboard ${props.stage} alarms`,
      enforceSSL: true,
    });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names, descriptions and metric values, never customer data; CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, and a customer managed key would only add a key policy to keep right.',
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }
}

/**
 * Adds the alarm topic as the alarm action of every CloudWatch alarm in the scope it is applied to
 * (the whole app), so no alarm written later can be forgotten: a silent alarm is no alarm.
 */
export class NotifyEveryAlarm implements IAspect {
  private readonly action: SnsAction;
  private readonly seen = new WeakSet<Alarm>();

  constructor(topic: ITopic) {
    this.action = new SnsAction(topic);
  }

  visit(node: IConstruct): void {
    if (!(node instanceof Alarm) || this.seen.has(node)) return;
    this.seen.add(node);
    node.addAlarmAction(this.action);
  }
}
