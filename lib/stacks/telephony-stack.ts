import { Arn, ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnInstanceStorageConfig, CfnIntegrationAssociation } from 'aws-cdk-lib/aws-connect';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { Grant, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { SwitchboardConfig } from '../config.js';
import type { IIndexedTable } from '../constructs/designed-table.js';
import { SwitchboardFunction } from '../constructs/switchboard-function.js';
import { mailSettings } from '../mail.js';
import { routingSettings } from '../routing.js';
import { slaSettings } from '../sla.js';
import { ENV } from '#platform/adapters/env-variables';
import { callbackSettings, queueSettings } from '../queues.js';

/** The Amazon Connect instance and how callbacks are dialled into it (all required with an instance). */
export interface ConnectSettings {
  instanceArn: string;
  callbackFlowId: string;
  queueIds: Readonly<Record<string, string>>;
}

export interface TelephonyStackProps extends StackProps {
  config: SwitchboardConfig;
  connect: ConnectSettings;
  casesTable: IIndexedTable;
  agentStateTable: IIndexedTable;
  /** Where agent event records that failed every retry are described (routing's failure queue: they are routing's). */
  agentEventFailureQueue: IQueue;
}

/** Connect's contact events on the account's default bus, of this instance only. */
export function contactEventPattern(instanceArn: string) {
  return { source: ['aws.connect'], detailType: ['Amazon Connect Contact Event'], detail: { instanceArn: [instanceArn] } };
}

/** Agent event records per invocation (as routing's stream triggers). */
const AGENT_EVENT_BATCH_SIZE = 25;

/** What every function of the stack shares. */
type FunctionCommon = { logRetention: SwitchboardConfig['logRetentionDays'] };

/** A contact-flow function must answer within Connect's 8-second limit. */
const CONTACT_FLOW_TIMEOUT = Duration.seconds(8);

/**
 * Amazon Connect telephony, for an existing Connect instance (`switchboard:connectInstanceArn`):
 * - the contact-flow functions (caller lookup, open or link a case), associated with the instance
 *   and invocable by it alone;
 * - the agent event stream (Kinesis) associated with the instance, and the routing function that
 *   counts agents' calls and chats against their capacity from it;
 * - contact events (an EventBridge rule on the default bus, this instance's events only) into the
 *   case timeline and missed-call callbacks;
 * - the callback dispatcher (every minute), which may start outbound calls on this instance only.
 * The stack holds no lasting data: callbacks live in the cases table. Without an instance none of
 * this is deployed, so a deployment without Connect pays for no idle Kinesis stream.
 */
export class TelephonyStack extends Stack {
  readonly lookupFunction: SwitchboardFunction;
  readonly openOrLinkFunction: SwitchboardFunction;
  readonly contactEventsFunction: SwitchboardFunction;
  readonly dispatchFunction: SwitchboardFunction;
  /** Amazon Connect's agent event stream: Connect writes each agent's state changes and contacts here. */
  readonly agentEventStream: Stream;
  readonly agentEventsFunction: SwitchboardFunction;
  /** Events the rules could not deliver after every retry (EventBridge's dead-letter queue). */
  readonly failureQueue: Queue;
  readonly failureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TelephonyStackProps) {
    super(scope, id, props);
    const common: FunctionCommon = { logRetention: props.config.logRetentionDays };
    this.failureQueue = this.createFailureQueue();
    this.failureAlarm = this.createFailureAlarm(this.failureQueue);
    const contactFlow = this.createContactFlowFunctions(props, common);
    this.lookupFunction = contactFlow.lookup;
    this.openOrLinkFunction = contactFlow.openOrLink;
    this.agentEventStream = this.createAgentEventStream(props.connect);
    this.agentEventsFunction = this.createAgentEventsFunction(props, common, this.agentEventStream);
    this.contactEventsFunction = this.createContactEventsFunction(props, common, this.failureQueue);
    this.dispatchFunction = this.createDispatchFunction(props, common, this.failureQueue);
    this.applyCallbackSettings(props.config, props.connect.queueIds, [this.contactEventsFunction, this.dispatchFunction]);
  }

  private createFailureQueue(): Queue {
    // Here rather than in the stateful stack: EventBridge needs a queue policy for its dead letters,
    // which CDK can write only in the queue's own stack. Retained all the same.
    const queue = new Queue(this, 'TelephonyFailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue and on-failure destination of the telephony rules (contact events, the callback schedule) and of their functions’ asynchronous invocations: it keeps events that failed every retry for an operator; nothing consumes it.',
    });
    return queue;
  }

  private createFailureAlarm(queue: Queue): Alarm {
    return new Alarm(this, 'TelephonyFailureAlarm', {
      alarmDescription:
        'A Connect contact event or a callback dispatch failed every retry: a call may be missing from its case timeline, a missed call may have no callback, or a callback outcome was lost. Inspect the telephony failure queue (the events, or Lambda’s invocation records holding them under requestPayload) and the functions’ logs.',
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** The contact-flow functions, associated with the instance and invocable by it alone. */
  private createContactFlowFunctions(
    { connect, casesTable, config }: TelephonyStackProps,
    common: FunctionCommon,
  ): { lookup: SwitchboardFunction; openOrLink: SwitchboardFunction } {
    const lookup = new SwitchboardFunction(this, 'CustomerLookupFunction', {
      ...common,
      entry: 'functions/telephony/handlers/customer-lookup.ts',
      description: 'Switchboard telephony: who is calling (contact flow); at most two reads',
      timeout: CONTACT_FLOW_TIMEOUT,
    })
      .bindTable(casesTable, ENV.casesTable, 'read')
      .setSettings(queueSettings(config));

    const openOrLink = new SwitchboardFunction(this, 'OpenOrLinkCaseFunction', {
      ...common,
      entry: 'functions/telephony/handlers/open-or-link-case.ts',
      description: 'Switchboard telephony: a phone case for the call, or the caller’s open case (contact flow)',
      timeout: CONTACT_FLOW_TIMEOUT,
    })
      .bindTable(casesTable, ENV.casesTable, 'readWrite')
      .setSettings(queueSettings(config));

    for (const [name, fn] of [
      ['CustomerLookup', lookup],
      ['OpenOrLinkCase', openOrLink],
    ] as const) {
      // Only this instance may invoke the function, and the instance's flows may name it.
      fn.function.addPermission(`${name}ConnectInvoke`, {
        principal: new ServicePrincipal('connect.amazonaws.com'),
        sourceArn: connect.instanceArn,
        sourceAccount: this.account,
      });
      new CfnIntegrationAssociation(this, `${name}Association`, {
        instanceId: connect.instanceArn,
        integrationType: 'LAMBDA_FUNCTION',
        integrationArn: fn.function.functionArn,
      });
    }

    // What the example contact flow (docs/connect/example-inbound-flow.json) names as ${…Arn}.
    new CfnOutput(this, 'CustomerLookupFunctionArn', {
      value: lookup.function.functionArn,
      description: 'The caller lookup, for the contact flow’s "Invoke AWS Lambda function" block',
    });
    new CfnOutput(this, 'OpenOrLinkCaseFunctionArn', {
      value: openOrLink.function.functionArn,
      description: 'Open or link the caller’s phone case, for the contact flow’s "Invoke AWS Lambda function" block',
    });
    return { lookup, openOrLink };
  }

  private createAgentEventStream(connect: ConnectSettings): Stream {
    // The records are transient (each is applied to the agent's live state within seconds) and kept
    // 24 hours for retries, so the stream goes with the stack.
    const stream = new Stream(this, 'AgentEventStream', {
      streamMode: StreamMode.ON_DEMAND,
      encryption: StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(24),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new CfnInstanceStorageConfig(this, 'AgentEventStreamAssociation', {
      instanceArn: connect.instanceArn,
      resourceType: 'AGENT_EVENTS',
      storageType: 'KINESIS_STREAM',
      kinesisStreamConfig: { streamArn: stream.streamArn },
    });
    return stream;
  }

  private createAgentEventsFunction(
    { config, agentStateTable, agentEventFailureQueue }: TelephonyStackProps,
    common: FunctionCommon,
    stream: Stream,
  ): SwitchboardFunction {
    const fn = new SwitchboardFunction(this, 'AgentEventsFunction', {
      ...common,
      entry: 'functions/telephony/handlers/agent-events.ts',
      description: 'Switchboard routing: Amazon Connect agent events (presence, contacts in progress) into agents’ live state',
    })
      .bindTable(agentStateTable, ENV.agentStateTable, 'readWrite')
      .addKinesisTrigger(stream, { batchSize: AGENT_EVENT_BATCH_SIZE, onFailure: agentEventFailureQueue });
    fn.setSettings(routingSettings(config));
    return fn;
  }

  /** Contact events: an EventBridge rule on the default bus, this instance's events only. */
  private createContactEventsFunction(
    { connect, casesTable, agentStateTable }: TelephonyStackProps,
    common: FunctionCommon,
    failureQueue: Queue,
  ): SwitchboardFunction {
    const fn = new SwitchboardFunction(this, 'ContactEventsFunction', {
      ...common,
      entry: 'functions/telephony/handlers/contact-events.ts',
      description: 'Switchboard telephony: Connect contact events into case timelines, missed calls and callback outcomes',
    })
      .bindTable(casesTable, ENV.casesTable, 'readWrite')
      .bindTable(agentStateTable, ENV.agentStateTable, 'read');
    const rule = new Rule(this, 'ContactEventsRule', {
      description: 'Amazon Connect contact events of the Switchboard instance',
      eventBus: EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      eventPattern: contactEventPattern(connect.instanceArn),
    });
    // A missed call's callback hangs on its event: retried, then kept in the failure queue (alarm).
    fn.addEventRuleTrigger(rule, { onFailure: failureQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) });
    return fn;
  }

  /** The callback dispatcher, every minute, which may start outbound calls on this instance only. */
  private createDispatchFunction(
    { connect, casesTable, agentStateTable }: TelephonyStackProps,
    common: FunctionCommon,
    failureQueue: Queue,
  ): SwitchboardFunction {
    const instanceId = Arn.split(connect.instanceArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName as string;
    const fn = new SwitchboardFunction(this, 'CallbackDispatchFunction', {
      ...common,
      entry: 'functions/telephony/handlers/dispatch-callbacks.ts',
      description: 'Switchboard telephony: dials due callbacks within business hours when a suitable agent is free',
      timeout: Duration.seconds(50),
    })
      .bindTable(casesTable, ENV.casesTable, 'readWrite')
      .bindTable(agentStateTable, ENV.agentStateTable, 'read')
      .setSetting(ENV.connectInstanceId, instanceId)
      .setSetting(ENV.connectCallbackFlowId, connect.callbackFlowId);
    // StartOutboundVoiceContact is authorized on the contacts of the instance it dials from.
    Grant.addToPrincipal({
      grantee: fn.role,
      actions: ['connect:StartOutboundVoiceContact'],
      resourceArns: [`${connect.instanceArn}/contact/*`],
    });
    Validations.of(fn.role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${connect.instanceArn}/contact/*]`,
      reason:
        'StartOutboundVoiceContact is authorized on contact ARNs, and the contact of a call exists only once the call is placed: the wildcard stands for the contacts of the one configured instance, and it is the only action granted on it.',
    });
    const schedule = new Rule(this, 'CallbackDispatchSchedule', {
      description: 'Dials due missed-call callbacks',
      schedule: Schedule.rate(Duration.minutes(1)),
    });
    // The next run comes a minute later anyway: a run older than a few minutes is worth nothing.
    fn.addEventRuleTrigger(schedule, { onFailure: failureQueue, retryAttempts: 2, maxEventAge: Duration.minutes(5) });
    return fn;
  }

  private applyCallbackSettings(
    config: SwitchboardConfig,
    connectQueueIds: Readonly<Record<string, string>>,
    functions: SwitchboardFunction[],
  ): void {
    for (const fn of functions) {
      // Connect queue → our queue: a missed call's case goes to the queue the caller waited in.
      fn.setSettings(callbackSettings(config, connectQueueIds)).setSettings(mailSettings(config)).setSettings(slaSettings(config));
    }
  }
}
