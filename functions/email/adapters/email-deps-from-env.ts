import { DEFAULT_CLASSIFICATION_RULES } from '../domain/classification.js';
import type { EmailDeps } from '../use-cases/deps.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoMailStore } from './dynamodb/mail-store.js';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { francLanguageDetector } from './language/franc-language-detector.js';
import { parseInboundMail } from './mime/parse-inbound-mail.js';
import { S3MailObjectStore, s3Client } from './s3/s3-mail-object-store.js';
import { caseDepsFromEnv } from '#cases/adapters';
import { mailSettingsFromEnv } from './mail-settings-from-env.js';

/** The email intake's adapters: the cases table, the mail bucket, the MIME parser and language detection. */
export function emailDepsFromEnv(): EmailDeps {
  return {
    ...caseDepsFromEnv(),
    mail: new DynamoMailStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    objects: new S3MailObjectStore(s3Client, readEnv(ENV.mailBucket)),
    parser: { parse: parseInboundMail },
    language: francLanguageDetector,
    mailSettings: mailSettingsFromEnv(),
    rules: DEFAULT_CLASSIFICATION_RULES,
  };
}
