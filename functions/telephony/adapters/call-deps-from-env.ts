import type { CallCaseDeps, LookupCallerDeps } from '../use-cases/deps.js';
import { DynamoCallStore } from './dynamodb/call-store.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { caseSettingsFromEnv, DynamoCustomerDirectory } from '#cases/adapters';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { cryptoSecrets, jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';

/** The contact flow's caller lookup: reads the cases table only. */
export function lookupCallerDepsFromEnv(): LookupCallerDeps {
  return {
    callers: new DynamoCallStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    settings: caseSettingsFromEnv(),
  };
}

/** The contact flow's call → case: reads and writes the cases table. */
export function callCaseDepsFromEnv(): CallCaseDeps {
  const tableName = readEnv(ENV.casesTable);
  return {
    calls: new DynamoCallStore(dynamoDocumentClient, tableName),
    customers: new DynamoCustomerDirectory(dynamoDocumentClient, tableName),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: caseSettingsFromEnv(),
    backoff: jitteredBackoff,
  };
}
