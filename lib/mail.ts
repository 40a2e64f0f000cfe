import { Duration } from 'aws-cdk-lib';
import { ENV, type EnvEntry, envEntry } from '#platform/adapters/env-variables';
import type { SwitchboardConfig } from './config.js';

/**
 * Key prefixes of the mail bucket. SES stores each received message as raw MIME under `inbound/`
 * (the object key is the SES message id), and only that prefix notifies the intake queue; the intake
 * function writes the attachments it extracts under `attachments/`, and those of mail SES judged spam
 * or infected under `quarantine/` (which nothing serves; see the email feature's `QUARANTINE_PREFIX`).
 */
export const MAIL_KEY_PREFIX = { inbound: 'inbound/', attachments: 'attachments/', quarantine: 'quarantine/' } as const;

/**
 * Upper bound of one email-intake invocation: a batch of up to 5 messages, each up to 40 MiB of
 * MIME to parse, with attachments to store. The intake queue's visibility timeout derives from it.
 */
export const EMAIL_INTAKE_TIMEOUT = Duration.minutes(1);

/**
 * The receipt rule set's name. Fixed, not generated: operators activate the set by name, and the
 * stateful stack names the rule in the mail bucket's policy without referring to the email stack.
 */
export function receiptRuleSetName(stage: string): string {
  return `switchboard-${stage}`;
}

/** The name of the one receipt rule, which stores inbound mail in the mail bucket. */
export function receiptRuleName(stage: string): string {
  return `switchboard-${stage}-store-inbound`;
}

/** Mail settings (no AWS resource, so no grant) of every function that receives or sends case mail (see `mailSettingsFromEnv`). */
export function mailSettings(config: SwitchboardConfig): EnvEntry[] {
  return [
    envEntry(ENV.mailDomain, config.mailDomain),
    envEntry(ENV.mailInboundAddresses, config.inboundAddresses),
    envEntry(ENV.mailDefaultQueue, config.mailDefaultQueue),
    envEntry(ENV.reopenWindowDays, config.reopenWindowDays),
    envEntry(ENV.maxAttachmentBytes, config.maxAttachmentBytes),
    envEntry(ENV.maxAcknowledgementsPerMinute, config.maxAcknowledgementsPerMinute),
  ];
}
