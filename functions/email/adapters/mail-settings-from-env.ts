import { DEFAULT_MAIL_SETTINGS, type MailSettings } from '../domain/mail-settings.js';
import { optionalEnv, requireEnv } from '#platform/adapters/env';

/** Mail settings from the function's environment (set by the stacks), the demo's defaults else. */
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
