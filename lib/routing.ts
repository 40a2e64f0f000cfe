import { Duration } from 'aws-cdk-lib';
import { ENV, type EnvEntry, envEntry } from '#platform/adapters/env-variables';
import type { SwitchboardConfig } from './config.js';

/** Upper bound of one router invocation: a batch of routing messages, each a query and a transaction or two. */
export const ROUTER_TIMEOUT = Duration.seconds(30);
/**
 * The routing queues' age alarm: offer timeouts and backlog rechecks wait up to 60 s by design, so
 * a message older than 5 minutes means the router is failing or throttled.
 */
export const ROUTING_MAX_MESSAGE_AGE = Duration.minutes(5);

/** The routing settings every routing function reads (see `routingSettingsFromEnv`). */
export function routingSettings(config: SwitchboardConfig): EnvEntry[] {
  return [
    envEntry(ENV.offerTimeoutSeconds, config.offerTimeoutSeconds),
    envEntry(ENV.backlogRecheckSeconds, config.backlogRecheckSeconds),
    envEntry(ENV.routingSteps, { default: [...config.routingSteps.default], byQueue: mapValues(config.routingSteps.byQueue) }),
    envEntry(ENV.channelWeights, config.channelWeights),
  ];
}

function mapValues<T>(record: Readonly<Record<string, readonly T[]>>): Record<string, T[]> {
  return Object.fromEntries(Object.entries(record).map(([key, list]) => [key, [...list]]));
}
