import { type CfnElement, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
  Succeed,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { slaDefaultsItem } from '#sla';
import { ENV } from '#platform/adapters/env-variables';
import type { SwitchboardConfig } from '../config.js';
import type { IIndexedTable } from '../constructs/designed-table.js';
import { SwitchboardFunction } from '../constructs/switchboard-function.js';
import { mailSettings } from '../mail.js';
import { slaSettings } from '../sla.js';
import { CASES_TABLE_ENTITIES, newImageFilter } from '#tables/entities';

export interface SlaStackProps extends StackProps {
  config: SwitchboardConfig;
  casesTable: IIndexedTable;
  agentStateTable: IIndexedTable;
  /** Where stream records that failed every retry are described. */
  slaFailureQueue: IQueue;
  eventBus: IEventBus;
}

/** Stream records of case items: every change of a case may move its clocks. */
export const SLA_CASE_FILTER = newImageFilter(CASES_TABLE_ENTITIES.case);
/** Stream records of SLA records: the relay starts and stops timers and publishes `sla.*` events. */
export const SLA_RECORD_FILTER = newImageFilter(CASES_TABLE_ENTITIES.sla);

const STREAM_BATCH_SIZE = 25;

/** Construct id of CDK's singleton Lambda function behind every `AwsCustomResource` of a stack, fixed in custom-resources. */
const AWS_CUSTOM_RESOURCE_HANDLER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * SLA clocks and escalation: a tracker that keeps each case's SLA record in step with the case, a
 * Standard state machine per clock generation that waits for the next deadline and asks the
 * evaluator, and a relay that starts and stops those timers and publishes `sla.*` events. The
 * records live in the stateful stack's cases table; this stack holds no data.
 */
export class SlaStack extends Stack {
  readonly trackerFunction: SwitchboardFunction;
  readonly evaluatorFunction: SwitchboardFunction;
  readonly relayFunction: SwitchboardFunction;
  readonly timer: StateMachine;
  readonly timerFailureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SlaStackProps) {
    super(scope, id, props);
    const { config } = props;
    const common = { logRetention: config.logRetentionDays };
    const onFailure = props.slaFailureQueue;

    this.trackerFunction = new SwitchboardFunction(this, 'SlaTrackerFunction', {
      ...common,
      entry: 'functions/sla/handlers/track-case-sla.ts',
      description: 'Switchboard SLA: keeps each case’s SLA clocks in step with the case',
    })
      .bindTable(props.casesTable, ENV.casesTable, 'readWrite')
      .addTableStreamTrigger(props.casesTable, { filters: [SLA_CASE_FILTER], batchSize: STREAM_BATCH_SIZE, onFailure });

    this.evaluatorFunction = new SwitchboardFunction(this, 'SlaEvaluatorFunction', {
      ...common,
      entry: 'functions/sla/handlers/evaluate-sla.ts',
      description: 'Switchboard SLA: evaluates a clock when its timer wakes; warns and escalates once',
    })
      .bindTable(props.casesTable, ENV.casesTable, 'readWrite')
      // Who to notify of a breach: the supervisors of the case's queues.
      .bindTable(props.agentStateTable, ENV.agentStateTable, 'read');
    // Escalation notices are queued in the cases table; the email stack's outbox sends them.
    this.evaluatorFunction.setSettings(mailSettings(config));

    const timerName = `Switchboard-${config.stage}-SlaTimer`;
    this.timer = this.timerStateMachine(timerName, config);

    this.relayFunction = new SwitchboardFunction(this, 'SlaRelayFunction', {
      ...common,
      entry: 'functions/sla/handlers/relay-sla-changes.ts',
      description: 'Switchboard SLA: starts and stops clock timers and publishes sla.* events',
    })
      .bindEventBus(props.eventBus, ENV.eventBus)
      .bindStateMachine(this.timer, ENV.slaStateMachine, timerName)
      .addTableStreamTrigger(props.casesTable, { filters: [SLA_RECORD_FILTER], batchSize: STREAM_BATCH_SIZE, onFailure });

    for (const fn of [this.trackerFunction, this.evaluatorFunction, this.relayFunction]) {
      fn.setSettings(slaSettings(config));
    }

    this.writeDefaults(props.casesTable, config);

    this.timerFailureAlarm = new Alarm(this, 'SlaTimerFailureAlarm', {
      alarmDescription:
        'An SLA timer execution failed (its evaluation kept failing through every retry) or timed out: that clock will not warn or escalate until its case changes. See the execution history of the SLA timer state machine and the evaluator’s logs.',
      metric: this.timer.metricFailed({ period: Duration.minutes(5) }).with({ statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * Writes the configuration's default policies and calendars (`switchboard:slaPolicies`,
   * `switchboard:slaCalendars`) into the cases table at every deployment that changes them, as the
   * one item the SLA functions read with the stored edits. They are too large for environment
   * variables (Lambda allows 4 KB per function; the demo's calendars alone are about 6 KB). Admins'
   * edits are separate items, so a deployment never overwrites them. The local runtime performs the
   * same PutItem from the template (local/deploy-time-calls.ts).
   */
  private writeDefaults(casesTable: IIndexedTable, config: SwitchboardConfig): void {
    const item = slaDefaultsItem({ policies: [...config.slaPolicies], calendars: [...config.slaCalendars] });
    // Written again whenever the configuration changes: the SDK call in the template is what changes.
    new AwsCustomResource(this, 'SlaDefaults', {
      resourceType: 'Custom::SlaDefaults',
      onUpdate: {
        service: 'DynamoDB',
        action: 'PutItem',
        parameters: {
          TableName: casesTable.tableName,
          Item: Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }])),
        },
        physicalResourceId: PhysicalResourceId.of('sla-defaults'),
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [casesTable.tableArn] }),
      ]),
      installLatestAwsSdk: false,
      logGroup: new LogGroup(this, 'SlaDefaultsLogs', { retention: config.logRetentionDays, removalPolicy: RemovalPolicy.DESTROY }),
    });
    // CDK runs every AwsCustomResource of the stack in one singleton function, created with the basic execution role.
    Validations.of(this.node.findChild(AWS_CUSTOM_RESOURCE_HANDLER_ID)).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's AwsCustomResource handler runs only during deployments; its role comes with AWSLambdaBasicExecutionRole (writing its own logs) and its one other grant is dynamodb:PutItem on the cases table, to write the SLA defaults item.",
    });
  }

  /**
   * One execution per clock generation: wait until the next deadline (warning, breach or second
   * level, computed in business time by the domain), evaluate, and loop or end. JSONPath (the local
   * interpreter runs no JSONata). The evaluator is idempotent, so retrying it on any error is safe.
   */
  private timerStateMachine(name: string, config: SwitchboardConfig): StateMachine {
    const wait = new Wait(this, 'WaitForDeadline', { time: WaitTime.timestampPath('$.wakeAt') });
    const evaluate = new LambdaInvoke(this, 'EvaluateClock', {
      lambdaFunction: this.evaluatorFunction.function,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    evaluate.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6 });
    const next = new Choice(this, 'KeepWaiting')
      .when(Condition.stringEquals('$.action', 'wait'), wait)
      .otherwise(new Succeed(this, 'ClockDone'));
    const logs = new LogGroup(this, 'SlaTimerLogs', { retention: config.logRetentionDays, removalPolicy: RemovalPolicy.DESTROY });
    const machine = new StateMachine(this, 'SlaTimerStateMachine', {
      // Named, so the relay's grant to stop executions can name them (`execution:<name>:*`).
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(wait.next(evaluate).next(next)),
      // Standard executions last at most a year: no clock waits longer.
      timeout: Duration.days(365),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    const policy = Validations.of(machine.role.node.findChild('DefaultPolicy'));
    policy.acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.evaluatorFunction.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        'The Lambda task integration grants invoking the evaluator function and its versions (`<arn>:*`); the state machine calls only that one function.',
    });
    policy.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (cdk-nag SF2) needs xray:PutTraceSegments, PutTelemetryRecords and GetSampling*, which take no resource ARN; and delivering execution logs to CloudWatch Logs needs logs:*LogDelivery* actions, which take none either.',
    });
    return machine;
  }
}
