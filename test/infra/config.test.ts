import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../lib/config.js';
import { DEMO_CALENDARS } from '../../lib/demo/calendars.js';
import { DEMO_CHANNEL_WEIGHTS, DEMO_QUEUES, DEMO_ROUTING_STEPS, DEMO_SLA_POLICIES } from '../../lib/demo/scenario.js';

const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('readConfig', () => {
  it('falls back to defaults when the context says nothing', () => {
    expect(configFrom({})).toEqual({
      stage: 'dev',
      corsAllowOrigins: [],
      logRetentionDays: RetentionDays.ONE_MONTH,
      mailRetentionDays: 365,
      apiThrottleRateLimit: 100,
      apiThrottleBurstLimit: 200,
      mailDomain: 'switchboard.local',
      inboundAddresses: { support: 'customers', stores: 'stores', partners: 'marketplace' },
      mailDefaultQueue: 'other',
      queues: DEMO_QUEUES,
      defaultQueue: 'customers',
      agentCaseAccess: 'queues',
      routingSteps: DEMO_ROUTING_STEPS,
      channelWeights: DEMO_CHANNEL_WEIGHTS,
      slaPolicies: DEMO_SLA_POLICIES,
      slaCalendars: DEMO_CALENDARS,
      reopenWindowDays: 7,
      maxAttachmentBytes: 26_214_400,
      maxAcknowledgementsPerMinute: 60,
      offerTimeoutSeconds: 30,
      backlogRecheckSeconds: 60,
      slaTimeScale: 1,
      callbackMaxAttempts: 3,
      callbackRetryMinutes: 15,
      mfa: 'required',
    });
    expect(configFrom({}).sesConfigurationSet).toBeUndefined();
    expect(configFrom({}).alarmEmail).toBeUndefined();
  });

  it('reads MFA (required or optional) and the alarm address, refusing anything else', () => {
    expect(configFrom({ 'switchboard:mfa': 'optional', 'switchboard:alarmEmail': 'ops@example.com' })).toMatchObject({
      mfa: 'optional',
      alarmEmail: 'ops@example.com',
    });
    expect(() => configFrom({ 'switchboard:mfa': 'off' })).toThrow(/switchboard:mfa/);
    expect(() => configFrom({ 'switchboard:alarmEmail': 'not an address' })).toThrow(/switchboard:alarmEmail/);
  });

  it('reads which cases agents see: queues or all, nothing else', () => {
    expect(configFrom({ 'switchboard:agentCaseAccess': 'all' }).agentCaseAccess).toBe('all');
    expect(() => configFrom({ 'switchboard:agentCaseAccess': 'everyone' })).toThrow(/switchboard:agentCaseAccess/);
  });

  it('reads the routing clocks, within what SQS can delay', () => {
    const config = configFrom({ 'switchboard:offerTimeoutSeconds': '45', 'switchboard:backlogRecheckSeconds': 120 });

    expect([config.offerTimeoutSeconds, config.backlogRecheckSeconds]).toEqual([45, 120]);
    expect(() => configFrom({ 'switchboard:offerTimeoutSeconds': 901 })).toThrow(/switchboard:offerTimeoutSeconds/);
    expect(() => configFrom({ 'switchboard:backlogRecheckSeconds': 2 })).toThrow(/switchboard:backlogRecheckSeconds/);
  });

  it('reads the SLA time scale (demos and tests), 1 by default and never below', () => {
    expect(configFrom({ 'switchboard:slaTimeScale': '60' }).slaTimeScale).toBe(60);
    expect(() => configFrom({ 'switchboard:slaTimeScale': 0 })).toThrow(/switchboard:slaTimeScale/);
    expect(() => configFrom({ 'switchboard:slaTimeScale': 'fast' })).toThrow(/switchboard:slaTimeScale/);
  });

  it('reads the mail settings, lower-casing the domain', () => {
    // Act
    const config = configFrom({
      'switchboard:mailDomain': 'Help.Example.COM',
      'switchboard:inboundAddresses': { help: 'customers', 'shops.pl': 'stores' },
      'switchboard:reopenWindowDays': '14',
      'switchboard:maxAttachmentBytes': '10485760',
      'switchboard:sesConfigurationSet': 'switchboard-prod',
      'switchboard:maxAcknowledgementsPerMinute': '20',
    });

    // Assess
    expect(config).toMatchObject({
      mailDomain: 'help.example.com',
      inboundAddresses: { help: 'customers', 'shops.pl': 'stores' },
      reopenWindowDays: 14,
      maxAttachmentBytes: 10_485_760,
      sesConfigurationSet: 'switchboard-prod',
      maxAcknowledgementsPerMinute: 20,
    });
  });

  it('accepts the inbound addresses as a JSON string from the command line', () => {
    expect(configFrom({ 'switchboard:inboundAddresses': '{"kontakt":"customers"}' }).inboundAddresses).toEqual({ kontakt: 'customers' });
  });

  it('accepts command-line strings for numbers and origins', () => {
    // Act
    const config = configFrom({
      'switchboard:logRetentionDays': '90',
      'switchboard:mailRetentionDays': '730',
      'switchboard:corsAllowOrigins': 'https://a.example.com, http://localhost:5173',
    });

    // Assess
    expect(config).toMatchObject({
      logRetentionDays: 90,
      mailRetentionDays: 730,
      corsAllowOrigins: ['https://a.example.com', 'http://localhost:5173'],
    });
  });

  it('accepts a JSON array of origins given as a string', () => {
    expect(configFrom({ 'switchboard:corsAllowOrigins': '["https://a.example.com"]' }).corsAllowOrigins).toEqual(['https://a.example.com']);
  });

  it.each([
    ['switchboard:stage', 'Prod'],
    ['switchboard:stage', 'a-very-long-stage-name'],
    ['switchboard:logRetentionDays', 42],
    ['switchboard:mailRetentionDays', 30],
    ['switchboard:corsAllowOrigins', ['https://a.example.com/']],
    ['switchboard:corsAllowOrigins', '[not json'],
    ['switchboard:apiThrottleRateLimit', 0],
    ['switchboard:mailDomain', 'localhost'],
    ['switchboard:mailDomain', 'mail.example.com.'],
    ['switchboard:mailDomain', 'support@example.com'],
    ['switchboard:inboundAddresses', { support: 'customer' }],
    ['switchboard:inboundAddresses', { 'Support Team': 'customers' }],
    ['switchboard:inboundAddresses', {}],
    ['switchboard:inboundAddresses', '{support:customers}'],
    ['switchboard:reopenWindowDays', 0],
    ['switchboard:maxAttachmentBytes', 41_943_041],
    ['switchboard:sesConfigurationSet', 'has spaces'],
    ['switchboard:maxAcknowledgementsPerMinute', 0],
  ])('refuses %s = %j, naming the key', (key, value) => {
    expect(() => configFrom({ [key]: value })).toThrow(key);
  });

  it('refuses a burst limit below the rate limit', () => {
    expect(() => configFrom({ 'switchboard:apiThrottleRateLimit': 300, 'switchboard:apiThrottleBurstLimit': 200 })).toThrow(
      'switchboard:apiThrottleBurstLimit',
    );
  });
});

describe('readConfig: queues and what names them', () => {
  const returns = { name: 'returns', label: 'Returns', calendar: 'warsaw-office', escalationQueue: 'escalations' };
  const withReturns = [...DEMO_QUEUES, returns];

  it('reads another set of queues, as JSON or as a JSON string from the command line', () => {
    expect(configFrom({ 'switchboard:queues': withReturns }).queues.map((queue) => queue.name)).toContain('returns');
    expect(configFrom({ 'switchboard:queues': JSON.stringify(withReturns) }).queues).toEqual(withReturns);
  });

  it('lets inbound addresses, routing steps and SLA policies name a new queue', () => {
    const config = configFrom({
      'switchboard:queues': withReturns,
      'switchboard:inboundAddresses': { support: 'customers', returns: 'returns' },
      'switchboard:routingSteps': {
        default: DEMO_ROUTING_STEPS.default,
        byQueue: { returns: [{ afterSeconds: 0, languageMinLevel: 1, topicMinLevel: null }] },
      },
      'switchboard:slaPolicies': [
        {
          name: 'returns',
          rank: 5,
          match: { queues: ['returns'] },
          targets: { firstResponseMinutes: 60, nextResponseMinutes: null, resolutionMinutes: null },
        },
      ],
    });

    expect(config.inboundAddresses.returns).toBe('returns');
    expect(config.routingSteps.byQueue.returns).toHaveLength(1);
    // A policy's omitted fields take the API's defaults.
    expect(config.slaPolicies[0]).toMatchObject({ enabled: true, warningPercent: 80, calendar: null, secondLevelAfterMinutes: null });
  });

  it.each([
    [
      'an inbound address',
      { 'switchboard:inboundAddresses': { returns: 'returns' } },
      /switchboard:inboundAddresses returns: no queue named returns/,
    ],
    ['the default queue', { 'switchboard:defaultQueue': 'returns' }, /switchboard:defaultQueue: no queue named returns/],
    ['the mail default queue', { 'switchboard:mailDefaultQueue': 'returns' }, /switchboard:mailDefaultQueue: no queue named returns/],
    [
      'a routing step list',
      { 'switchboard:routingSteps': { default: DEMO_ROUTING_STEPS.default, byQueue: { returns: DEMO_ROUTING_STEPS.default } } },
      /switchboard:routingSteps byQueue.returns: no queue named returns/,
    ],
    [
      'an escalation queue',
      { 'switchboard:queues': [{ ...returns, escalationQueue: 'managers' }] },
      /switchboard:queues \[0\].escalationQueue: no queue named managers/,
    ],
    [
      'an SLA policy',
      {
        'switchboard:slaPolicies': [
          {
            name: 'r',
            rank: 1,
            match: { queues: ['returns'] },
            targets: { firstResponseMinutes: 5, nextResponseMinutes: null, resolutionMinutes: null },
          },
        ],
      },
      /switchboard:slaPolicies \[0\].match.queues\[0\]: no queue named 'returns'/,
    ],
    [
      'a Connect queue id',
      { 'switchboard:connectQueueIds': { returns: 'abc' } },
      /switchboard:connectQueueIds returns: no queue named returns/,
    ],
  ])('refuses %s that names a queue that does not exist', (_what, context, message) => {
    expect(() => configFrom(context)).toThrow(message);
  });

  it('refuses a queue calendar that does not exist, and twice the same queue', () => {
    expect(() => configFrom({ 'switchboard:queues': [{ ...returns, calendar: 'lisbon-office' }] })).toThrow(
      /switchboard:queues \[0\].calendar: no calendar named lisbon-office/,
    );
    expect(() => configFrom({ 'switchboard:queues': [returns, returns] })).toThrow(/queue returns is listed twice/);
    expect(() => configFrom({ 'switchboard:queues': [] })).toThrow(/switchboard:queues: name at least one queue/);
    expect(() => configFrom({ 'switchboard:queues': [{ ...returns, name: 'Returns!' }] })).toThrow(
      /switchboard:queues \[0\].name: a queue name/,
    );
  });

  it('refuses channel weights that miss a channel or name an unknown one', () => {
    const { phone: _phone, ...withoutPhone } = DEMO_CHANNEL_WEIGHTS;

    expect(() => configFrom({ 'switchboard:channelWeights': withoutPhone })).toThrow(
      /switchboard:channelWeights: give the weight of every channel: phone/,
    );
    expect(() => configFrom({ 'switchboard:channelWeights': { ...DEMO_CHANNEL_WEIGHTS, fax: 10 } })).toThrow(/fax is not a channel/);
  });

  it('refuses an invalid calendar, and the built-in 24x7 as a configured one', () => {
    const warsaw = DEMO_CALENDARS[0]!;

    expect(() => configFrom({ 'switchboard:slaCalendars': [{ ...warsaw, timeZone: 'Europe/Atlantis' }] })).toThrow(
      /switchboard:slaCalendars \[0\].timeZone/,
    );
    expect(() => configFrom({ 'switchboard:slaCalendars': [{ ...warsaw, name: '24x7' }] })).toThrow(/24x7 is built in/);
  });

  it('with a Connect instance, needs the Connect queue of every configured queue', () => {
    const connect = {
      'switchboard:connectInstanceArn': 'arn:aws:connect:eu-central-1:123456789012:instance/00000000-0000-4000-8000-000000000000',
      'switchboard:connectCallbackFlowId': 'flow',
      'switchboard:connectQueueIds': Object.fromEntries(DEMO_QUEUES.map((queue) => [queue.name, `q-${queue.name}`])),
    };

    expect(() => configFrom({ ...connect, 'switchboard:queues': withReturns })).toThrow(/switchboard:connectQueueIds: .*missing: returns/);
  });
});
