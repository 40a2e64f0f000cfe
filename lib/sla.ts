import { ENV, type EnvEntry, envEntry } from '#platform/adapters/env-variables';
import type { SwitchboardConfig } from './config.js';
import { queueSettings } from './queues.js';

/** The SLA settings every SLA function reads (see `slaSettingsFromEnv`): the demo time scale and the queues. */
export function slaSettings(config: SwitchboardConfig): EnvEntry[] {
  return [envEntry(ENV.slaTimeScale, config.slaTimeScale), ...queueSettings(config)];
}
