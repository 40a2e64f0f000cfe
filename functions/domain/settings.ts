/**
 * Product settings the domain needs, passed in by each trigger. The defaults describe the demo
 * scenario: a retailer whose queues follow the requester type.
 */
export interface QueueSettings {
  name: string;
  label: string;
}

export interface CaseSettings {
  queues: readonly QueueSettings[];
  /** Where a case goes when the caller names no queue. */
  defaultQueue: string;
}

export const DEFAULT_QUEUES: readonly QueueSettings[] = [
  { name: 'customers', label: 'Customers' },
  { name: 'stores', label: 'Stores' },
  { name: 'marketplace', label: 'Marketplace partners' },
  { name: 'other', label: 'Other requesters' },
];

export const DEFAULT_CASE_SETTINGS: CaseSettings = {
  queues: DEFAULT_QUEUES,
  defaultQueue: 'customers',
};
