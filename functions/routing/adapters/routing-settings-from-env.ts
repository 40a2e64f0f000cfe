import { DEFAULT_ROUTING_SETTINGS, type RoutingSettings } from '../domain/routing-settings.js';
import { optionalEnv } from '#platform/adapters/env';

/** The routing settings with the deployment's clocks (the CDK config sets them on every routing function). */
export function routingSettingsFromEnv(): RoutingSettings {
  return {
    ...DEFAULT_ROUTING_SETTINGS,
    offerTimeoutSeconds: Number(optionalEnv('ROUTING_OFFER_TIMEOUT_SECONDS', String(DEFAULT_ROUTING_SETTINGS.offerTimeoutSeconds))),
    backlogRecheckSeconds: Number(optionalEnv('ROUTING_RECHECK_SECONDS', String(DEFAULT_ROUTING_SETTINGS.backlogRecheckSeconds))),
  };
}
