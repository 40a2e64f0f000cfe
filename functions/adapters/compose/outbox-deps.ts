import type { OutboxDeps } from '../../domain/use-cases/send-outbound-email.js';
import { dynamoDocumentClient } from '../dynamodb/client.js';
import { DynamoMailStore } from '../dynamodb/mail-store.js';
import { optionalEnv, requireEnv } from '../env.js';
import { nodemailerComposer } from '../mail/compose-mime.js';
import { SesEmailSender, sesClient } from '../ses/ses-email-sender.js';
import { systemClock } from '../system.js';

/** The outbox sender's adapters: the cases table, MIME composition and SES. */
export function outboxDepsFromEnv(): OutboxDeps {
  return {
    mail: new DynamoMailStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')),
    sender: new SesEmailSender(sesClient, requireEnv('AWS_REGION'), optionalEnv('SES_CONFIGURATION_SET', '') || null),
    composer: nodemailerComposer,
    clock: systemClock,
  };
}
