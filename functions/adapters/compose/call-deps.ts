import { DEFAULT_CASE_SETTINGS } from '../../domain/settings.js';
import type { CallCaseDeps, LookupCallerDeps } from '../../domain/use-cases/call-deps.js';
import { DynamoCallStore } from '../dynamodb/call-store.js';
import { dynamoDocumentClient } from '../dynamodb/client.js';
import { DynamoCustomerStore } from '../dynamodb/customer-store.js';
import { requireEnv } from '../env.js';
import { cryptoSecrets, jitteredBackoff, systemClock, ulidGenerator } from '../system.js';

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
    customers: new DynamoCustomerStore(dynamoDocumentClient, tableName),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: DEFAULT_CASE_SETTINGS,
    backoff: jitteredBackoff,
  };
}
