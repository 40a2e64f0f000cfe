import { DEFAULT_CALLBACK_SETTINGS, type CallbackSettings } from '../domain/callback-settings.js';
import type { CallbackQueryDeps, ContactEventDeps } from '../use-cases/deps.js';
import { DynamoCallbackStaff } from './dynamodb/callback-staff.js';
import { DynamoCallbackStore } from './dynamodb/callback-store.js';
import { DynamoCaseStore } from '#cases/adapters';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { caseSettingsFromEnv, DynamoCustomerDirectory } from '#cases/adapters';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { cryptoSecrets, jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';
import { mailSettingsFromEnv } from '#email/adapters';

/**
 * Callback settings from the function's environment (set by the telephony stack): attempts, retry
 * delay, the Connect queue of each queue, and the queues.
 */
export function callbackSettingsFromEnv(): CallbackSettings {
  const { queues, defaultQueue } = caseSettingsFromEnv();
  return {
    ...DEFAULT_CALLBACK_SETTINGS,
    maxAttempts: readEnv(ENV.callbackMaxAttempts),
    retryMinutes: readEnv(ENV.callbackRetryMinutes),
    connectQueueIds: readEnv(ENV.connectQueueIds),
    queues,
    defaultQueue,
  };
}

/**
 * The contact-events function: the cases table (callbacks, cases, customers, counters), the
 * agent-state table (read: staff and their Connect ARNs), callback and mail settings.
 */
export function contactEventDepsFromEnv(): ContactEventDeps {
  const tableName = readEnv(ENV.casesTable);
  return {
    callbacks: new DynamoCallbackStore(dynamoDocumentClient, tableName),
    cases: new DynamoCaseStore(dynamoDocumentClient, tableName),
    customers: new DynamoCustomerDirectory(dynamoDocumentClient, tableName),
    staff: new DynamoCallbackStaff(dynamoDocumentClient, readEnv(ENV.agentStateTable)),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: callbackSettingsFromEnv(),
    mailSettings: mailSettingsFromEnv(),
    backoff: jitteredBackoff,
  };
}

/** The callbacks API: reads the cases table. */
export function callbackQueryDepsFromEnv(): CallbackQueryDeps {
  return { callbacks: new DynamoCallbackStore(dynamoDocumentClient, readEnv(ENV.casesTable)) };
}
