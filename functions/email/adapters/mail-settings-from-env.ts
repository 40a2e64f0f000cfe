import { ENV, readEnv } from '#platform/adapters/env-variables';
import { MAIL_HANDLING, type MailSettings } from '../domain/mail-settings.js';

/** Mail settings from the function's environment, which the stacks set on every function that handles case mail. */
export function mailSettingsFromEnv(): MailSettings {
  return {
    ...MAIL_HANDLING,
    domain: readEnv(ENV.mailDomain),
    inboundAddresses: readEnv(ENV.mailInboundAddresses),
    defaultQueue: readEnv(ENV.mailDefaultQueue),
    reopenWindowDays: readEnv(ENV.reopenWindowDays),
    maxAttachmentBytes: readEnv(ENV.maxAttachmentBytes),
    maxAcknowledgementsPerMinute: readEnv(ENV.maxAcknowledgementsPerMinute),
  };
}
