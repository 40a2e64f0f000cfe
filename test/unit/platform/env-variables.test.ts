import { afterEach, describe, expect, it, vi } from 'vitest';
import { caseSettingsFromEnv } from '#cases/adapters';
import { ENV, envEntry, readEnv, readOptionalEnv, routingQueueUrlVariable } from '#platform/adapters/env-variables';
import { routingSettingsFromEnv } from '#routing/adapters';
import { DEMO_CHANNEL_WEIGHTS, DEMO_ENVIRONMENT, DEMO_QUEUES, DEMO_ROUTING_STEPS } from '../../support/demo-settings.js';

afterEach(() => vi.unstubAllEnvs());

describe('the environment variables between the stacks and the functions', () => {
  it('reads back what the construct writes', () => {
    // Prepare
    for (const entry of [
      envEntry(ENV.queues, [...DEMO_QUEUES]),
      envEntry(ENV.offerTimeoutSeconds, 45),
      envEntry(ENV.corsAllowOrigins, ['https://a.example', 'https://b.example']),
    ])
      vi.stubEnv(entry.name, entry.text);

    // Act / Assess
    expect(readEnv(ENV.queues)).toEqual(DEMO_QUEUES);
    expect(readEnv(ENV.offerTimeoutSeconds)).toBe(45);
    expect(readEnv(ENV.corsAllowOrigins)).toEqual(['https://a.example', 'https://b.example']);
  });

  it('fails naming the variable when one the stacks always set is missing or malformed', () => {
    vi.stubEnv('SWITCHBOARD_QUEUES', '');
    expect(() => readEnv(ENV.queues)).toThrow('environment variable SWITCHBOARD_QUEUES is not set');

    vi.stubEnv('SWITCHBOARD_QUEUES', '[{"name":"returns"}]');
    expect(() => readEnv(ENV.queues)).toThrow(/environment variable SWITCHBOARD_QUEUES: 0.label: /);

    vi.stubEnv('SWITCHBOARD_QUEUES', 'returns');
    expect(() => readEnv(ENV.queues)).toThrow('environment variable SWITCHBOARD_QUEUES is not JSON');

    vi.stubEnv('ROUTING_RECHECK_SECONDS', '1000');
    expect(() => readEnv(ENV.backlogRecheckSeconds)).toThrow(
      'environment variable ROUTING_RECHECK_SECONDS must be a whole number from 5 to 900, not 1000',
    );
  });

  it('falls back only for a variable the stacks set in some deployments', () => {
    vi.stubEnv('SES_CONFIGURATION_SET', '');
    expect(readOptionalEnv(ENV.sesConfigurationSet, '')).toBe('');
  });

  it('names a routing queue URL after its queue', () => {
    expect(routingQueueUrlVariable('returns').name).toBe('ROUTING_QUEUE_URL_RETURNS');
    expect(routingQueueUrlVariable('key-accounts').name).toBe('ROUTING_QUEUE_URL_KEY_ACCOUNTS');
  });
});

describe('the composition roots', () => {
  it('read the queues, and refuse a default queue that is not one of them', () => {
    for (const [name, value] of Object.entries(DEMO_ENVIRONMENT)) vi.stubEnv(name, value);
    expect(caseSettingsFromEnv()).toEqual({ queues: DEMO_QUEUES, defaultQueue: 'customers' });

    vi.stubEnv('SWITCHBOARD_DEFAULT_QUEUE', 'returns');
    expect(() => caseSettingsFromEnv()).toThrow(/SWITCHBOARD_DEFAULT_QUEUE names returns, which SWITCHBOARD_QUEUES does not list/);
  });

  it('read the routing settings, and refuse weights that miss a channel', () => {
    const { email: _email, ...withoutEmail } = DEMO_CHANNEL_WEIGHTS;
    for (const entry of [
      envEntry(ENV.routingSteps, { default: [...DEMO_ROUTING_STEPS.default], byQueue: {} }),
      envEntry(ENV.channelWeights, DEMO_CHANNEL_WEIGHTS),
      envEntry(ENV.offerTimeoutSeconds, 30),
      envEntry(ENV.backlogRecheckSeconds, 60),
    ])
      vi.stubEnv(entry.name, entry.text);

    expect(routingSettingsFromEnv()).toMatchObject({ defaultSteps: DEMO_ROUTING_STEPS.default, channelWeights: DEMO_CHANNEL_WEIGHTS });

    vi.stubEnv('ROUTING_CHANNEL_WEIGHTS', JSON.stringify(withoutEmail));
    expect(() => routingSettingsFromEnv()).toThrow('environment variable ROUTING_CHANNEL_WEIGHTS has no weight for email');
  });
});
