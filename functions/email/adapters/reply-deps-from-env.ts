import type { RawMessageDeps } from '../use-cases/get-raw-message.js';
import type { ReplyDeps } from '../use-cases/reply-to-case.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoMailStore } from './dynamodb/mail-store.js';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { caseDepsFromEnv } from '#cases/adapters';
import { mailSettingsFromEnv } from './mail-settings-from-env.js';
import { S3MailObjectStore, s3Client } from './s3/s3-mail-object-store.js';

/** What the email API needs: to queue agents' replies (the outbox sends them), and to read raw received mail. */
export function replyDepsFromEnv(): ReplyDeps & RawMessageDeps {
  return {
    ...caseDepsFromEnv(),
    mail: new DynamoMailStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    objects: new S3MailObjectStore(s3Client, readEnv(ENV.mailBucket)),
    mailSettings: mailSettingsFromEnv(),
  };
}

/** Who sees which case: replies go only to cases the replying agent may see. */
export { caseAccessDepsFromEnv } from '#cases/adapters';
