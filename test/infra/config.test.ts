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
    });
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
  ])('refuses %s = %j, naming the key', (key, value) => {
    expect(() => configFrom({ [key]: value })).toThrow(key);
  });

  it('refuses a burst limit below the rate limit', () => {
    expect(() => configFrom({ 'switchboard:apiThrottleRateLimit': 300, 'switchboard:apiThrottleBurstLimit': 200 })).toThrow(
      'switchboard:apiThrottleBurstLimit',
    );
  });
});
