import type { OutboxDeps } from '../use-cases/send-outbound-email.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoMailStore } from './dynamodb/mail-store.js';
import { optionalEnv, requireEnv } from '#platform/adapters/env';
import { nodemailerComposer } from './mime/compose-mime.js';
import { SesEmailSender, sesClient } from './ses/ses-email-sender.js';
import { systemClock } from '#platform/adapters/system';

/** The outbox sender's adapters: the cases table, MIME composition and SES. */
export function outboxDepsFromEnv(): OutboxDeps {
  return {
    mail: new DynamoMailStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')),
    sender: new SesEmailSender(sesClient, requireEnv('AWS_REGION'), optionalEnv('SES_CONFIGURATION_SET', '') || null),
    composer: nodemailerComposer,
    clock: systemClock,
  };
}
