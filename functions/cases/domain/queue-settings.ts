/**
 * Product settings the domain needs, passed in by each trigger. The defaults describe the demo
 * scenario: a retailer whose queues follow the requester type.
 */
export interface QueueSettings {
  name: string;
  label: string;
  /** The business-hours calendar its SLA clocks run on (an SLA policy may name another). */
  calendar: string;
  /** Where a case whose SLA is breached goes (served by supervisors); null keeps it in place. */
  escalationQueue: string | null;
}

export interface CaseSettings {
  queues: readonly QueueSettings[];
  /** Where a case goes when the caller names no queue. */
  defaultQueue: string;
}

export const DEFAULT_QUEUES: readonly QueueSettings[] = [
  { name: 'customers', label: 'Customers', calendar: 'warsaw-customer-service', escalationQueue: 'escalations' },
  { name: 'stores', label: 'Stores', calendar: 'warsaw-customer-service', escalationQueue: 'escalations' },
  { name: 'marketplace', label: 'Marketplace partners', calendar: 'warsaw-office', escalationQueue: 'escalations' },
  { name: 'other', label: 'Other requesters', calendar: 'warsaw-office', escalationQueue: 'escalations' },
  // Cases whose SLA was breached, for the supervisors; its own clocks keep the team's hours.
  { name: 'escalations', label: 'Escalations (supervisors)', calendar: 'warsaw-customer-service', escalationQueue: null },
];

export const DEFAULT_CASE_SETTINGS: CaseSettings = {
  queues: DEFAULT_QUEUES,
  defaultQueue: 'customers',
};
