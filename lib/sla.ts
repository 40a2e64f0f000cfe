import type { SwitchboardConfig } from './config.js';

/** The SLA settings every SLA function reads (see `slaSettingsFromEnv`). */
export function slaSettings(config: SwitchboardConfig): Record<string, string> {
  return { SLA_TIME_SCALE: String(config.slaTimeScale) };
}
