import { ENV, readEnv } from '#platform/adapters/env-variables';
import type { CaseSettings } from '../domain/queue-settings.js';

/** The deployment's queues and default queue, which the stacks set on every function that needs them. */
export function caseSettingsFromEnv(): CaseSettings {
  const queues = readEnv(ENV.queues);
  const defaultQueue = readEnv(ENV.defaultQueue);
  if (!queues.some((queue) => queue.name === defaultQueue)) {
    throw new Error(`environment variable ${ENV.defaultQueue.name} names ${defaultQueue}, which ${ENV.queues.name} does not list`);
  }
  return { queues, defaultQueue };
}
