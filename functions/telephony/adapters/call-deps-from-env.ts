import { DEFAULT_CASE_SETTINGS } from '#cases';
import type { CallCaseDeps, LookupCallerDeps } from '../use-cases/deps.js';
import { DynamoCallStore } from './dynamodb/call-store.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoCustomerDirectory } from '#cases/adapters';
import { requireEnv } from '#platform/adapters/env';
import { cryptoSecrets, jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';

/** The contact flow's caller lookup: reads the cases table only. */
export function lookupCallerDepsFromEnv(): LookupCallerDeps {
  return {
    callers: new DynamoCallStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')),
    settings: DEFAULT_CASE_SETTINGS,
  };
}

/** The contact flow's call → case: reads and writes the cases table. */
export function callCaseDepsFromEnv(): CallCaseDeps {
  const tableName = requireEnv('CASES_TABLE_NAME');
  return {
    calls: new DynamoCallStore(dynamoDocumentClient, tableName),
    customers: new DynamoCustomerDirectory(dynamoDocumentClient, tableName),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: DEFAULT_CASE_SETTINGS,
    backoff: jitteredBackoff,
  };
}
