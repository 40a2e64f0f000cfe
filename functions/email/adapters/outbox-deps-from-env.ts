import type { OutboxDeps } from '../use-cases/send-outbound-email.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoOutboxStore } from './dynamodb/outbox-store.js';
import { requireEnv } from '#platform/adapters/env';
import { ENV, readEnv, readOptionalEnv } from '#platform/adapters/env-variables';
import { nodemailerComposer } from './mime/compose-mime.js';
import { SesEmailSender, sesClient } from './ses/ses-email-sender.js';
import { systemClock } from '#platform/adapters/system';

/** The outbox sender's adapters: the cases table, MIME composition and SES. */
export function outboxDepsFromEnv(): OutboxDeps {
  return {
    outbox: new DynamoOutboxStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    // AWS_REGION is Lambda's own; the configuration set is set only when the deployment names one.
    sender: new SesEmailSender(sesClient, requireEnv('AWS_REGION'), readOptionalEnv(ENV.sesConfigurationSet, '') || null),
    composer: nodemailerComposer,
    clock: systemClock,
  };
}

/** The retry schedule's adapters: the cases table alone. */
export function requeueDepsFromEnv(): Pick<OutboxDeps, 'outbox' | 'clock'> {
  return { outbox: new DynamoOutboxStore(dynamoDocumentClient, readEnv(ENV.casesTable)), clock: systemClock };
}
