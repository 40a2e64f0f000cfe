import type { ReplyDeps } from '../../domain/use-cases/reply-to-case.js';
import { dynamoDocumentClient } from '../dynamodb/client.js';
import { DynamoMailStore } from '../dynamodb/mail-store.js';
import { requireEnv } from '../env.js';
import { caseDepsFromEnv } from './case-deps.js';
import { mailSettingsFromEnv } from './mail-settings-from-env.js';

/** What the cases API needs to queue agents' replies (the outbox sends them). */
export function replyDepsFromEnv(): ReplyDeps {
  return {
    ...caseDepsFromEnv(),
    mail: new DynamoMailStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')),
    mailSettings: mailSettingsFromEnv(),
  };
}
