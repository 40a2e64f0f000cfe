import { describe, expect, it } from 'vitest';
import { type CloudModel, readCloudModel } from '#local/cloud-template';
import { EventRuleDelivery, rateMillis } from '#local/event-rules';
import type { FunctionLoader } from '#local/function-loader';

describe('rateMillis', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(2 hours)', 7_200_000],
    ['rate(1 day)', 86_400_000],
    ['cron(0 12 * * ? *)', null],
  ])('%s → %s ms', (expression, expected) => {
    expect(rateMillis(expression)).toBe(expected);
  });
});

describe('EventBridge rules in the template', () => {
  const template = {
    stackName: 'Switchboard-dev-Telephony',
    template: {
      Resources: {
        DispatchFunctionAAAAAAAA: {
          Type: 'AWS::Lambda::Function',
          Properties: { Timeout: 30 },
          Metadata: { 'switchboard:entry': 'functions/handlers/connect/dispatch-callbacks.ts' },
        },
        EventsFunctionBBBBBBBB: {
          Type: 'AWS::Lambda::Function',
          Properties: {},
          Metadata: { 'switchboard:entry': 'functions/telephony/handlers/contact-events.ts' },
        },
        ScheduleRuleCCCCCCCC: {
          Type: 'AWS::Events::Rule',
          Properties: {
            ScheduleExpression: 'rate(1 minute)',
            State: 'ENABLED',
            Targets: [{ Arn: { 'Fn::GetAtt': ['DispatchFunctionAAAAAAAA', 'Arn'] }, Id: 'Target0' }],
          },
        },
        ContactRuleDDDDDDDD: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: { source: ['aws.connect'], 'detail-type': ['Amazon Connect Contact Event'] },
            State: 'ENABLED',
            Targets: [{ Arn: { 'Fn::GetAtt': ['EventsFunctionBBBBBBBB', 'Arn'] }, Id: 'Target0' }],
          },
        },
      },
    },
  };

  it('are read with their pattern or schedule and their function targets', () => {
    const model = readCloudModel([template]);

    expect(model.eventRules).toEqual([
      {
        logicalId: 'ScheduleRuleCCCCCCCC',
        eventPattern: null,
        scheduleExpression: 'rate(1 minute)',
        enabled: true,
        functionLogicalIds: ['DispatchFunctionAAAAAAAA'],
      },
      {
        logicalId: 'ContactRuleDDDDDDDD',
        eventPattern: { source: ['aws.connect'], 'detail-type': ['Amazon Connect Contact Event'] },
        scheduleExpression: null,
        enabled: true,
        functionLogicalIds: ['EventsFunctionBBBBBBBB'],
      },
    ]);
  });

  it('run a scheduled rule’s target on its timer with a Scheduled Event, never two runs at once', async () => {
    const model: CloudModel = readCloudModel([template]);
    const events: any[] = [];
    let running = 0;
    let overlapped = false;
    const functions = {
      nameOf: (id: string) => id,
      handler: async () => async (event: unknown) => {
        running += 1;
        overlapped ||= running > 1;
        events.push(event);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
      },
    } as unknown as FunctionLoader;
    const rules = new EventRuleDelivery(model, functions, { region: 'eu-central-1', account: '000000000000', log: () => undefined });

    const stop = rules.startSchedules(10);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await stop();

    expect(events.length).toBeGreaterThan(1);
    expect(events[0]).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      resources: ['arn:aws:events:eu-central-1:000000000000:rule/ScheduleRuleCCCCCCCC'],
    });
    expect(overlapped).toBe(false);
  });
});
