import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../lib/config.js';

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
      reopenWindowDays: 7,
      maxAttachmentBytes: 26_214_400,
      offerTimeoutSeconds: 30,
      backlogRecheckSeconds: 60,
      slaTimeScale: 1,
      callbackMaxAttempts: 3,
      callbackRetryMinutes: 15,
    });
    expect(configFrom({}).sesConfigurationSet).toBeUndefined();
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
    });

    // Assess
    expect(config).toMatchObject({
      mailDomain: 'help.example.com',
      inboundAddresses: { help: 'customers', 'shops.pl': 'stores' },
      reopenWindowDays: 14,
      maxAttachmentBytes: 10_485_760,
      sesConfigurationSet: 'switchboard-prod',
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
  ])('refuses %s = %j, naming the key', (key, value) => {
    expect(() => configFrom({ [key]: value })).toThrow(key);
  });

  it('refuses a burst limit below the rate limit', () => {
    expect(() => configFrom({ 'switchboard:apiThrottleRateLimit': 300, 'switchboard:apiThrottleBurstLimit': 200 })).toThrow(
      'switchboard:apiThrottleBurstLimit',
    );
  });
});
