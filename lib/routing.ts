import { Duration } from 'aws-cdk-lib';
import type { SwitchboardConfig } from './config.js';

/** Upper bound of one router invocation: a batch of routing messages, each a query and a transaction or two. */
export const ROUTER_TIMEOUT = Duration.seconds(30);
/**
 * The routing queues' age alarm: offer timeouts and backlog rechecks wait up to 60 s by design, so
 * a message older than 5 minutes means the router is failing or throttled.
 */
export const ROUTING_MAX_MESSAGE_AGE = Duration.minutes(5);

/** The routing settings every routing function reads (see `routingSettingsFromEnv`). */
export function routingSettings(config: SwitchboardConfig): Record<string, string> {
  return {
    ROUTING_OFFER_TIMEOUT_SECONDS: String(config.offerTimeoutSeconds),
    ROUTING_RECHECK_SECONDS: String(config.backlogRecheckSeconds),
  };
}
