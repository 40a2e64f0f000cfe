import { DEFAULT_CLASSIFICATION_RULES } from '../domain/email/classification.js';
import { DEFAULT_MAIL_SETTINGS, type MailSettings } from '../domain/email/mail-settings.js';
import type { AgentDeps, CaseDeps } from '../domain/use-cases/deps.js';
import type { EmailDeps } from '../domain/use-cases/email-deps.js';
import type { ReplyDeps } from '../domain/use-cases/reply-to-case.js';
import type { OutboxDeps } from '../domain/use-cases/send-outbound-email.js';
import { DynamoMailStore } from './dynamodb/mail-store.js';
import { francLanguageDetector } from './language/franc-language-detector.js';
import { nodemailerComposer } from './mail/compose-mime.js';
import { parseInboundMail } from './mail/parse-inbound-mail.js';
import { S3MailObjectStore, s3Client } from './s3/s3-mail-object-store.js';
import { SesEmailSender, sesClient } from './ses/ses-email-sender.js';
import { DEFAULT_CASE_SETTINGS } from '../domain/settings.js';
import { DynamoAgentStore } from './dynamodb/agent-store.js';
import { DynamoCaseStore } from './dynamodb/case-store.js';
import { dynamoDocumentClient } from './dynamodb/client.js';
import { DynamoCustomerStore } from './dynamodb/customer-store.js';
import { optionalEnv, requireEnv } from './env.js';
import { cryptoSecrets, jitteredBackoff, systemClock, ulidGenerator } from './system.js';

/**
 * Wiring of the real adapters, shared by the handlers. Each reads the environment variables that
 * the function construct set together with the grant, once, at cold start.
 */
export function caseDepsFromEnv(): CaseDeps {
  const tableName = requireEnv('CASES_TABLE_NAME');
  return {
    cases: new DynamoCaseStore(dynamoDocumentClient, tableName),
    customers: new DynamoCustomerStore(dynamoDocumentClient, tableName),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: DEFAULT_CASE_SETTINGS,
    backoff: jitteredBackoff,
  };
}

export function agentDepsFromEnv(): AgentDeps {
  return { agents: new DynamoAgentStore(dynamoDocumentClient, requireEnv('AGENT_STATE_TABLE_NAME')) };
}

/** Mail settings from the function's environment (set by the email stack), the demo's defaults else. */
export function mailSettingsFromEnv(): MailSettings {
  const number = (name: string, fallback: number) => {
    const value = Number(optionalEnv(name, String(fallback)));
    if (!Number.isFinite(value) || value <= 0) throw new Error(`environment variable ${name} must be a positive number`);
    return value;
  };
  const addresses = optionalEnv('MAIL_INBOUND_ADDRESSES', '');
  return {
    ...DEFAULT_MAIL_SETTINGS,
    domain: requireEnv('MAIL_DOMAIN'),
    inboundAddresses: addresses ? (JSON.parse(addresses) as Record<string, string>) : DEFAULT_MAIL_SETTINGS.inboundAddresses,
    defaultQueue: optionalEnv('MAIL_DEFAULT_QUEUE', DEFAULT_MAIL_SETTINGS.defaultQueue),
    reopenWindowDays: number('REOPEN_WINDOW_DAYS', DEFAULT_MAIL_SETTINGS.reopenWindowDays),
    maxAttachmentBytes: number('MAX_ATTACHMENT_BYTES', DEFAULT_MAIL_SETTINGS.maxAttachmentBytes),
  };
}

export function emailDepsFromEnv(): EmailDeps {
  const tableName = requireEnv('CASES_TABLE_NAME');
  return {
    ...caseDepsFromEnv(),
    mail: new DynamoMailStore(dynamoDocumentClient, tableName),
    objects: new S3MailObjectStore(s3Client, requireEnv('MAIL_BUCKET_NAME')),
    parser: { parse: parseInboundMail },
    language: francLanguageDetector,
    mailSettings: mailSettingsFromEnv(),
    rules: DEFAULT_CLASSIFICATION_RULES,
  };
}

/** What the cases API needs to queue agents' replies. */
export function replyDepsFromEnv(): ReplyDeps {
  const tableName = requireEnv('CASES_TABLE_NAME');
  return {
    ...caseDepsFromEnv(),
    mail: new DynamoMailStore(dynamoDocumentClient, tableName),
    mailSettings: mailSettingsFromEnv(),
  };
}

export function outboxDepsFromEnv(): OutboxDeps {
  return {
    mail: new DynamoMailStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')),
    sender: new SesEmailSender(sesClient, requireEnv('AWS_REGION'), optionalEnv('SES_CONFIGURATION_SET', '') || null),
    composer: nodemailerComposer,
    clock: systemClock,
  };
}
