import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SLA_CASE_FILTER, SLA_RECORD_FILTER } from '../../lib/stacks/sla-stack.js';
import { actionsOf, functionIdOf, resourcesOfType, statementsOf, synthesize } from './synthesize.js';

const TRACKER_ENTRY = 'functions/sla/handlers/track-case-sla.ts';
const EVALUATOR_ENTRY = 'functions/sla/handlers/evaluate-sla.ts';
const RELAY_ENTRY = 'functions/sla/handlers/relay-sla-changes.ts';

const { sla, stateful, statefulTemplate } = synthesize({ context: { 'switchboard:stage': 'test', 'switchboard:slaTimeScale': 60 } });
const template = Template.fromStack(sla);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const machineId = sla.getLogicalId(sla.timer.node.defaultChild as CfnElement);
const machine = resources[machineId]!;

/** The definition as Step Functions receives it, with the function reference kept as a marker. */
function definition(): Record<string, any> {
  const join = machine.Properties.DefinitionString['Fn::Join'] as [string, unknown[]];
  const marker = (part: unknown) => `REF:${((part as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'] ?? []).join('.')}`;
  return JSON.parse(join[1].map((part) => (typeof part === 'string' ? part : marker(part))).join('')) as Record<string, any>;
}

const mappingsOf = (functionId: string) =>
  Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).filter(
    (mapping) => JSON.stringify(mapping.Properties!.FunctionName) === JSON.stringify({ Ref: functionId }),
  );

describe('the SLA timer state machine', () => {
  it('is a Standard workflow in JSONPath (the local interpreter runs no JSONata), named for the relay’s grant', () => {
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.StateMachineName).toBe('Switchboard-test-SlaTimer');
    expect(definition().QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(JSON.stringify(definition())).not.toContain('{%');
  });

  it('waits until the clock’s wake-up, asks the evaluator, and loops or ends', () => {
    const { StartAt, States } = definition();
    const evaluatorId = functionIdOf(template, EVALUATOR_ENTRY);

    expect(StartAt).toBe('WaitForDeadline');
    expect(States.WaitForDeadline).toEqual({ Type: 'Wait', TimestampPath: '$.wakeAt', Next: 'EvaluateClock' });
    expect(States.EvaluateClock).toMatchObject({ Type: 'Task', Next: 'KeepWaiting', Resource: `REF:${evaluatorId}.Arn` });
    expect(States.EvaluateClock.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 6 })]);
    expect(States.KeepWaiting).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.action', StringEquals: 'wait', Next: 'WaitForDeadline' }],
      Default: 'ClockDone',
    });
    expect(States.ClockDone).toEqual({ Type: 'Succeed' });
  });

  it('logs every event and traces, and an alarm fires on a failed execution', () => {
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machineId } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});

describe('the SLA functions', () => {
  const failureQueueId = stateful.getLogicalId(stateful.slaFailures.node.defaultChild as CfnElement);

  it('track case items and relay SLA records from the cases stream, with failures kept in the SLA failure queue', () => {
    const tracker = mappingsOf(functionIdOf(template, TRACKER_ENTRY));
    const relay = mappingsOf(functionIdOf(template, RELAY_ENTRY));

    expect(tracker).toHaveLength(1);
    expect(relay).toHaveLength(1);
    expect(JSON.parse(tracker[0]!.Properties!.FilterCriteria.Filters[0].Pattern)).toEqual(SLA_CASE_FILTER);
    expect(JSON.parse(relay[0]!.Properties!.FilterCriteria.Filters[0].Pattern)).toEqual(SLA_RECORD_FILTER);
    for (const mapping of [...tracker, ...relay]) {
      expect(mapping.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true });
      expect(JSON.stringify(mapping.Properties!.DestinationConfig)).toContain('Fn::ImportValue');
    }
    statefulTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failureQueueId, 'QueueName'] } }],
    });
  });

  it('let the relay start timers of the one state machine and stop only its executions', () => {
    const statements = statementsOf(template, functionIdOf(template, RELAY_ENTRY)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('states:')),
    );

    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: machineId } }));
    const stop = statements.find((statement) => actionsOf(statement).includes('states:StopExecution'))!;
    expect(actionsOf(stop)).toEqual(['states:StopExecution']);
    expect(JSON.stringify(stop.Resource)).toContain(':execution:Switchboard-test-SlaTimer:*');
  });

  it('carry the time scale, and the evaluator the mail settings for escalation notices', () => {
    for (const entry of [TRACKER_ENTRY, EVALUATOR_ENTRY, RELAY_ENTRY]) {
      expect(resources[functionIdOf(template, entry)]!.Properties.Environment.Variables.SLA_TIME_SCALE).toBe('60');
    }
    const evaluatorEnv = Object.keys(resources[functionIdOf(template, EVALUATOR_ENTRY)]!.Properties.Environment.Variables);
    expect(evaluatorEnv).toEqual(expect.arrayContaining(['CASES_TABLE_NAME', 'AGENT_STATE_TABLE_NAME', 'MAIL_DOMAIN']));
    expect(Object.keys(resources[functionIdOf(template, RELAY_ENTRY)]!.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining(['EVENT_BUS_NAME', 'SLA_STATE_MACHINE_ARN']),
    );
  });

  it('let the evaluator only read the agent-state table', () => {
    const writes = statementsOf(template, functionIdOf(template, EVALUATOR_ENTRY)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:Put') || action.startsWith('dynamodb:Update')),
    );
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(writes[0]!.Resource)).toContain('CasesTable');
    expect(JSON.stringify(writes[0]!.Resource)).not.toContain('AgentStateTable');
  });
});
