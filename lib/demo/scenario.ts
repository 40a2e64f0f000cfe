import type { QueueSettings } from '#cases';
import type { RoutingStep } from '#routing';
import type { SlaPolicy } from '#sla';

/**
 * The demo scenario: a B2C retailer in Poland (entering Germany) whose queues follow the requester
 * type. These are the values `switchboard:*` context falls back to (see docs/configuration.md), so
 * `npm start`, the tests and a first deployment run it; a tenant sets its own in cdk.json or `-c`.
 */
export const DEMO_QUEUES: readonly QueueSettings[] = [
  { name: 'customers', label: 'Customers', calendar: 'warsaw-customer-service', escalationQueue: 'escalations' },
  { name: 'stores', label: 'Stores', calendar: 'warsaw-customer-service', escalationQueue: 'escalations' },
  { name: 'marketplace', label: 'Marketplace partners', calendar: 'warsaw-office', escalationQueue: 'escalations' },
  { name: 'other', label: 'Other requesters', calendar: 'warsaw-office', escalationQueue: 'escalations' },
  // Cases whose SLA was breached, for the supervisors; its own clocks keep the team's hours.
  { name: 'escalations', label: 'Escalations (supervisors)', calendar: 'warsaw-customer-service', escalationQueue: null },
];

/** Where a case goes when the caller names no queue. */
export const DEMO_DEFAULT_QUEUE = 'customers';

/** Mail addresses at the mail domain by local part, and the queue of mail to any other address there. */
export const DEMO_INBOUND_ADDRESSES: Readonly<Record<string, string>> = { support: 'customers', stores: 'stores', partners: 'marketplace' };
export const DEMO_MAIL_DEFAULT_QUEUE = 'other';

/** Every queue's routing: experts first, then anyone with the skill, after 5 minutes language only. */
export const DEMO_ROUTING_STEPS: { default: readonly RoutingStep[]; byQueue: Readonly<Record<string, readonly RoutingStep[]>> } = {
  default: [
    { afterSeconds: 0, languageMinLevel: 5, topicMinLevel: 5 },
    { afterSeconds: 60, languageMinLevel: 1, topicMinLevel: 1 },
    { afterSeconds: 300, languageMinLevel: 1, topicMinLevel: null },
  ],
  byQueue: {},
};

/** Capacity units by channel: one phone call fills a default budget; an email takes a fifth of it. */
export const DEMO_CHANNEL_WEIGHTS = {
  phone: 100,
  chat: 40,
  messenger: 40,
  whatsapp: 40,
  sms: 20,
  email: 20,
  web: 20,
  api: 20,
} as const;

const defaults = { enabled: true, warningPercent: 80, pauseOnHold: false, calendar: null } as const;

/**
 * The demo scenario's policies (a retailer whose privacy requests come first): GDPR/RODO requests
 * and `urgent` cases much shorter than `normal`, VIP customers tighter than the rest. Privacy
 * requests run on the 24/7 calendar: the legal deadline counts calendar days, not opening hours.
 * Policies admins store under the same name replace these.
 */
export const DEMO_SLA_POLICIES: readonly SlaPolicy[] = [
  {
    ...defaults,
    name: 'privacy-requests',
    description: 'GDPR/RODO requests (access, correction, erasure, consent): always first',
    rank: 10,
    match: { categories: ['privacy'] },
    targets: { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 2 * 24 * 60 },
    calendar: '24x7',
    secondLevelAfterMinutes: 120,
  },
  {
    ...defaults,
    name: 'urgent',
    description: 'Urgent cases',
    rank: 20,
    match: { priorities: ['urgent'] },
    targets: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 8 * 60 },
    secondLevelAfterMinutes: 60,
  },
  {
    ...defaults,
    name: 'vip',
    description: 'VIP customers',
    rank: 30,
    match: { tiers: ['vip'] },
    targets: { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 16 * 60 },
    secondLevelAfterMinutes: 120,
  },
  {
    ...defaults,
    name: 'high',
    description: 'High-priority cases',
    rank: 40,
    match: { priorities: ['high'] },
    targets: { firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 24 * 60 },
    secondLevelAfterMinutes: 240,
  },
  {
    ...defaults,
    name: 'standard',
    description: 'Every other case',
    rank: 1000,
    match: {},
    targets: { firstResponseMinutes: 8 * 60, nextResponseMinutes: 8 * 60, resolutionMinutes: 5 * 12 * 60 },
    secondLevelAfterMinutes: null,
  },
];
