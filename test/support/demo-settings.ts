import { ENV, envEntry } from '#platform/adapters/env-variables';
import type { CaseSettings } from '#cases/domain/queue-settings';
import { MAIL_HANDLING, type MailSettings } from '#email/domain/mail-settings';
import type { RoutingSettings } from '#routing/domain/routing-settings';
import type { SlaDefaults } from '#sla/domain/sla-config';
import { DEMO_CALENDARS } from '../../lib/demo/calendars.js';
import {
  DEMO_CHANNEL_WEIGHTS,
  DEMO_DEFAULT_QUEUE,
  DEMO_INBOUND_ADDRESSES,
  DEMO_MAIL_DEFAULT_QUEUE,
  DEMO_QUEUES,
  DEMO_ROUTING_STEPS,
  DEMO_SLA_POLICIES,
} from '../../lib/demo/scenario.js';

/**
 * The demo scenario's configuration (lib/demo) as the functions' composition roots hand it to the
 * use cases, for tests that build deps themselves.
 */
/** The demo's SLA defaults as the SLA stack writes them. */
export const DEMO_SLA_DEFAULTS: SlaDefaults = { policies: [...DEMO_SLA_POLICIES], calendars: [...DEMO_CALENDARS] };

/** The demo's queue settings as the functions read them. */
export const DEMO_CASE_SETTINGS: CaseSettings = { queues: DEMO_QUEUES, defaultQueue: DEMO_DEFAULT_QUEUE };

/** The demo's routing settings as the routing functions read them (with the default clocks). */
export const DEMO_ROUTING_SETTINGS: RoutingSettings = {
  channelWeights: DEMO_CHANNEL_WEIGHTS,
  stepsByQueue: DEMO_ROUTING_STEPS.byQueue,
  defaultSteps: DEMO_ROUTING_STEPS.default,
  offerTimeoutSeconds: 30,
  backlogRecheckSeconds: 60,
  maxRecordedCandidates: 50,
};

/** The demo's mail settings as the functions that handle case mail read them. */
export const DEMO_MAIL_SETTINGS: MailSettings = {
  ...MAIL_HANDLING,
  domain: 'switchboard.local',
  inboundAddresses: DEMO_INBOUND_ADDRESSES,
  defaultQueue: DEMO_MAIL_DEFAULT_QUEUE,
  reopenWindowDays: 7,
  maxAttachmentBytes: 25 * 1024 * 1024,
  maxAcknowledgementsPerMinute: 60,
};

export {
  DEMO_CALENDARS,
  DEMO_CHANNEL_WEIGHTS,
  DEMO_DEFAULT_QUEUE,
  DEMO_INBOUND_ADDRESSES,
  DEMO_MAIL_DEFAULT_QUEUE,
  DEMO_QUEUES,
  DEMO_ROUTING_STEPS,
  DEMO_SLA_POLICIES,
};

/**
 * The environment the stacks give a function that knows the queues and handles case mail, with the
 * demo's values, for tests that load a handler module.
 */
export const DEMO_ENVIRONMENT: Readonly<Record<string, string>> = Object.fromEntries(
  [
    envEntry(ENV.queues, [...DEMO_QUEUES]),
    envEntry(ENV.defaultQueue, DEMO_DEFAULT_QUEUE),
    envEntry(ENV.mailDomain, DEMO_MAIL_SETTINGS.domain),
    envEntry(ENV.mailInboundAddresses, DEMO_MAIL_SETTINGS.inboundAddresses),
    envEntry(ENV.mailDefaultQueue, DEMO_MAIL_SETTINGS.defaultQueue),
    envEntry(ENV.reopenWindowDays, DEMO_MAIL_SETTINGS.reopenWindowDays),
    envEntry(ENV.maxAttachmentBytes, DEMO_MAIL_SETTINGS.maxAttachmentBytes),
    envEntry(ENV.maxAcknowledgementsPerMinute, DEMO_MAIL_SETTINGS.maxAcknowledgementsPerMinute),
    envEntry(ENV.slaTimeScale, 1),
  ].map((entry) => [entry.name, entry.text]),
);
