import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import type { CustomerDeps } from '../use-cases/deps.js';
import { DynamoCustomerStore } from './dynamodb/customer-store.js';

/** The customers API: reads the cases table. */
export function customerDepsFromEnv(): CustomerDeps {
  return { customers: new DynamoCustomerStore(dynamoDocumentClient, readEnv(ENV.casesTable)) };
}
