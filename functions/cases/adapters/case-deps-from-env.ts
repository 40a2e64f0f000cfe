import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { cryptoSecrets, jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';
import type { CaseDeps } from '../use-cases/deps.js';
import { caseSettingsFromEnv } from './case-settings-from-env.js';
import { DynamoCaseStore } from './dynamodb/case-store.js';
import { DynamoCustomerDirectory } from './dynamodb/customer-directory.js';

/**
 * Wiring of the real adapters, one module per kind of deps so each function bundles only the
 * adapters it uses. Each reads the environment variables that the function construct set together
 * with the grant, once, at cold start.
 */
export function caseDepsFromEnv(): CaseDeps {
  const tableName = readEnv(ENV.casesTable);
  return {
    cases: new DynamoCaseStore(dynamoDocumentClient, tableName),
    customers: new DynamoCustomerDirectory(dynamoDocumentClient, tableName),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: caseSettingsFromEnv(),
    backoff: jitteredBackoff,
  };
}
