import type { DeliveryEventDeps } from '../use-cases/record-delivery-event.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { systemClock, ulidGenerator } from '#platform/adapters/system';
import { DynamoMailStore } from './dynamodb/mail-store.js';

/** The SES event recorder's adapters: the cases table. */
export function deliveryEventDepsFromEnv(): DeliveryEventDeps {
  return { mail: new DynamoMailStore(dynamoDocumentClient, readEnv(ENV.casesTable)), clock: systemClock, ids: ulidGenerator };
}
