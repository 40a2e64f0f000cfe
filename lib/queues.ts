import { ENV, type EnvEntry, envEntry } from '#platform/adapters/env-variables';
import type { SwitchboardConfig } from './config.js';

/** The queues and the default queue, for every function that knows the queues (see `caseSettingsFromEnv`). */
export function queueSettings(config: SwitchboardConfig): EnvEntry[] {
  return [envEntry(ENV.queues, [...config.queues]), envEntry(ENV.defaultQueue, config.defaultQueue)];
}

/** Which cases agents see, for every API function that serves a case (see `caseAccessDepsFromEnv`). */
export function caseAccessSettings(config: SwitchboardConfig): EnvEntry[] {
  return [envEntry(ENV.agentCaseAccess, config.agentCaseAccess)];
}

/** The callback settings of the telephony functions that handle callbacks (see `callbackSettingsFromEnv`). */
export function callbackSettings(config: SwitchboardConfig, connectQueueIds: Readonly<Record<string, string>>): EnvEntry[] {
  return [
    envEntry(ENV.callbackMaxAttempts, config.callbackMaxAttempts),
    envEntry(ENV.callbackRetryMinutes, config.callbackRetryMinutes),
    envEntry(ENV.connectQueueIds, connectQueueIds),
    ...queueSettings(config),
  ];
}
