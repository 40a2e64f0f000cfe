import { DEFAULT_CALLBACK_SETTINGS, type CallbackSettings } from '../domain/callback-settings.js';
import { DEFAULT_CASE_SETTINGS } from '#cases';
import type { CallbackQueryDeps, ContactEventDeps } from '../use-cases/deps.js';
import { DynamoCallbackStaff } from './dynamodb/callback-staff.js';
import { DynamoCallbackStore } from './dynamodb/callback-store.js';
import { DynamoCaseStore } from '#cases/adapters';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoCustomerDirectory } from '#cases/adapters';
import { optionalEnv, requireEnv } from '#platform/adapters/env';
import { cryptoSecrets, jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';
import { mailSettingsFromEnv } from '#email/adapters';

/** A whole number from the environment within bounds, else a start-up failure naming the variable. */
function integerEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = optionalEnv(name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`environment variable ${name} must be a whole number from ${min} to ${max}, not ${raw}`);
  return value;
}

/** `CONNECT_QUEUE_IDS`: a JSON object of our queue → Connect queue id. */
function connectQueueIdsFromEnv(required: boolean): Record<string, string> {
  const raw = required ? requireEnv('CONNECT_QUEUE_IDS') : optionalEnv('CONNECT_QUEUE_IDS', '{}');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('environment variable CONNECT_QUEUE_IDS must be a JSON object of queue → Connect queue id');
  }
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((id) => typeof id === 'string' && id !== '')
  ) {
    throw new Error('environment variable CONNECT_QUEUE_IDS must be a JSON object of queue → Connect queue id');
  }
  return parsed as Record<string, string>;
}

/**
 * Callback settings from the function's environment (set by the telephony stack): attempts, retry
 * delay, and the Connect queue of each queue (required to dial; to map an event's Connect queue back
 * to ours it is optional).
 */
export function callbackSettingsFromEnv(options: { requireConnectQueues: boolean }): CallbackSettings {
  return {
    ...DEFAULT_CALLBACK_SETTINGS,
    maxAttempts: integerEnv('CALLBACK_MAX_ATTEMPTS', DEFAULT_CALLBACK_SETTINGS.maxAttempts, 1, 10),
    retryMinutes: integerEnv('CALLBACK_RETRY_MINUTES', DEFAULT_CALLBACK_SETTINGS.retryMinutes, 1, 1440),
    connectQueueIds: connectQueueIdsFromEnv(options.requireConnectQueues),
    queues: DEFAULT_CASE_SETTINGS.queues,
    defaultQueue: DEFAULT_CASE_SETTINGS.defaultQueue,
  };
}

/**
 * The contact-events function: the cases table (callbacks, cases, customers, counters), the
 * agent-state table (read: staff and their Connect ARNs), callback and mail settings.
 */
export function contactEventDepsFromEnv(options: { requireConnectQueues: boolean } = { requireConnectQueues: false }): ContactEventDeps {
  const tableName = requireEnv('CASES_TABLE_NAME');
  return {
    callbacks: new DynamoCallbackStore(dynamoDocumentClient, tableName),
    cases: new DynamoCaseStore(dynamoDocumentClient, tableName),
    customers: new DynamoCustomerDirectory(dynamoDocumentClient, tableName),
    staff: new DynamoCallbackStaff(dynamoDocumentClient, requireEnv('AGENT_STATE_TABLE_NAME')),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: callbackSettingsFromEnv(options),
    mailSettings: mailSettingsFromEnv(),
    backoff: jitteredBackoff,
  };
}

/** The callbacks API: reads the cases table. */
export function callbackQueryDepsFromEnv(): CallbackQueryDeps {
  return { callbacks: new DynamoCallbackStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')) };
}
