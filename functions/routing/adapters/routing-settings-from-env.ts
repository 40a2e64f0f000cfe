import { CHANNELS, type Channel } from '#cases';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { MAX_RECORDED_CANDIDATES, type RoutingSettings } from '../domain/routing-settings.js';

/** The deployment's routing settings, which the stacks set on every routing function. */
export function routingSettingsFromEnv(): RoutingSettings {
  const steps = readEnv(ENV.routingSteps);
  const weights = readEnv(ENV.channelWeights);
  const missing = CHANNELS.filter((channel) => weights[channel] === undefined);
  if (missing.length > 0) throw new Error(`environment variable ${ENV.channelWeights.name} has no weight for ${missing.join(', ')}`);
  return {
    channelWeights: Object.fromEntries(CHANNELS.map((channel) => [channel, weights[channel]])) as Record<Channel, number>,
    stepsByQueue: steps.byQueue,
    defaultSteps: steps.default,
    offerTimeoutSeconds: readEnv(ENV.offerTimeoutSeconds),
    backlogRecheckSeconds: readEnv(ENV.backlogRecheckSeconds),
    maxRecordedCandidates: MAX_RECORDED_CANDIDATES,
  };
}
