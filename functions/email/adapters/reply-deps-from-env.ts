import type { ReplyDeps } from '../use-cases/reply-to-case.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoMailStore } from './dynamodb/mail-store.js';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { caseDepsFromEnv } from '#cases/adapters';
import { mailSettingsFromEnv } from './mail-settings-from-env.js';

/** What the cases API needs to queue agents' replies (the outbox sends them). */
export function replyDepsFromEnv(): ReplyDeps {
  return {
    ...caseDepsFromEnv(),
    mail: new DynamoMailStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    mailSettings: mailSettingsFromEnv(),
  };
}

/** Who sees which case: replies go only to cases the replying agent may see. */
export { caseAccessDepsFromEnv } from '#cases/adapters';
