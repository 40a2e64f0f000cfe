/**
 * Every entity stored in Switchboard's two tables, as plain data: its `entity` tag, the feature
 * that defines it (in `functions/<owner>/adapters/dynamodb/<entity>-item.ts`: key builder, toItem,
 * fromItem) and the formats of its keys, primary and index. docs/access-patterns.md is the map
 * of the same; test/unit/tables/entities.test.ts proves no query of one entity reads another's items.
 *
 * A key format is a template: literal text and `{name}` placeholders (never empty). Upper-case
 * prefixes name the entity; ULIDs make sort keys chronological. An entity may have several formats
 * on one index (a work item is in its queue's backlog or its owner's list) or none (a sparse index).
 *
 * This module imports no feature: features read their formats from here.
 */

export type Feature = 'cases' | 'customers' | 'agents' | 'email' | 'routing' | 'sla' | 'telephony';
export type IndexName = 'GSI1' | 'GSI2' | 'GSI3' | 'GSI4' | 'GSI5';

export interface KeyTemplate {
  readonly pk: string;
  readonly sk: string;
}

export interface EntityDesign {
  readonly tag: string;
  readonly owner: Feature;
  readonly key: KeyTemplate;
  readonly indexes?: Partial<Record<IndexName, readonly KeyTemplate[]>>;
}

/** The cases table: cases and everything in their partitions, customers, mail, SLAs, telephony. */
export const CASES_TABLE_ENTITIES = {
  case: {
    tag: 'case',
    owner: 'cases',
    key: { pk: 'CASE#{id}', sk: 'CASE' },
    indexes: {
      GSI1: [{ pk: 'CUSTOMER#{customerId}', sk: 'CASE#{id}' }],
      GSI2: [{ pk: 'STATUS#{status}', sk: 'CASE#{id}' }],
      GSI3: [{ pk: 'QUEUE#{queue}', sk: 'CASE#{id}' }],
      GSI4: [{ pk: 'ASSIGNEE#{assigneeId}', sk: 'CASE#{id}' }],
      GSI5: [{ pk: 'CASES', sk: 'CASE#{id}' }],
    },
  },
  counter: { tag: 'counter', owner: 'cases', key: { pk: 'COUNTER#case', sk: 'COUNTER' } },
  'case-number': { tag: 'case-number', owner: 'cases', key: { pk: 'CASENUMBER#{sequence}', sk: 'CASENUMBER' } },
  timeline: { tag: 'timeline', owner: 'cases', key: { pk: 'CASE#{caseId}', sk: 'TIMELINE#{id}' } },
  note: { tag: 'note', owner: 'cases', key: { pk: 'CASE#{caseId}', sk: 'NOTE#{id}' } },
  message: { tag: 'message', owner: 'cases', key: { pk: 'CASE#{caseId}', sk: 'CASE#MSG#{id}' } },
  'message-id': { tag: 'message-id', owner: 'cases', key: { pk: 'MSGID#{messageId}', sk: 'MSGID' } },
  /** A merge job, named by its source case (see functions/cases/domain/merge.ts). */
  merge: { tag: 'merge', owner: 'cases', key: { pk: 'MERGE#{id}', sk: 'MERGE' } },

  customer: {
    tag: 'customer',
    owner: 'customers',
    key: { pk: 'CUSTOMER#{id}', sk: 'PROFILE' },
    indexes: { GSI1: [{ pk: 'CUSTOMER#{id}', sk: 'PROFILE' }] },
  },
  identity: { tag: 'identity', owner: 'customers', key: { pk: 'IDENTITY#{type}#{value}', sk: 'IDENTITY' } },

  'mail-fingerprint': { tag: 'mail-fingerprint', owner: 'email', key: { pk: 'MAILFP#{fingerprint}', sk: 'MAILFP' } },
  acknowledgements: { tag: 'acknowledgements', owner: 'email', key: { pk: 'ACKS#{sender}', sk: 'ACKS' } },
  /** Acknowledgements sent in one minute, all senders together (TTL). */
  'acknowledgement-rate': { tag: 'acknowledgement-rate', owner: 'email', key: { pk: 'ACKRATE#{minute}', sk: 'ACKRATE' } },
  /** An address that hard-bounced or complained: it gets no acknowledgements. */
  'mail-suppression': { tag: 'mail-suppression', owner: 'email', key: { pk: 'SUPPRESS#{address}', sk: 'SUPPRESS' } },
  // Keyed by the message item's id alone, not its case: a copy of the message (a merge) meets the same record.
  'outbox-send': { tag: 'outbox-send', owner: 'email', key: { pk: 'OUTBOXSEND#{messageItemId}', sk: 'OUTBOXSEND' } },
  'outbox-retry': { tag: 'outbox-retry', owner: 'email', key: { pk: 'OUTBOXRETRY', sk: 'RETRY#{retryAt}#{caseId}#{messageItemId}' } },

  sla: {
    tag: 'sla',
    owner: 'sla',
    key: { pk: 'CASE#{caseId}', sk: 'SLA' },
    indexes: { GSI2: [{ pk: 'SLA_AT_RISK#{queue}', sk: '{dueAt}#{caseId}' }] },
  },
  /** The deployment's default policies and calendars, written at each deployment from its configuration. */
  'sla-defaults': { tag: 'sla-defaults', owner: 'sla', key: { pk: 'SLA_CONFIG', sk: 'DEFAULTS' } },
  'sla-policy': { tag: 'sla-policy', owner: 'sla', key: { pk: 'SLA_CONFIG', sk: 'POLICY#{name}' } },
  'sla-calendar': { tag: 'sla-calendar', owner: 'sla', key: { pk: 'SLA_CONFIG', sk: 'CALENDAR#{name}' } },
  'sla-policy-version': { tag: 'sla-policy-version', owner: 'sla', key: { pk: 'SLA_CONFIG#POLICY#{name}', sk: 'V#{version}' } },
  'sla-calendar-version': { tag: 'sla-calendar-version', owner: 'sla', key: { pk: 'SLA_CONFIG#CALENDAR#{name}', sk: 'V#{version}' } },

  contact: { tag: 'contact', owner: 'telephony', key: { pk: 'CONTACT#{contactId}', sk: 'CONTACT' } },
  'callback-contact': { tag: 'callback-contact', owner: 'telephony', key: { pk: 'CONTACT#{contactId}', sk: 'CALLBACK' } },
  'contact-event': { tag: 'contact-event', owner: 'telephony', key: { pk: 'CONTACT#{contactId}', sk: 'EVENT#{eventType}' } },
  callback: {
    tag: 'callback',
    owner: 'telephony',
    key: { pk: 'CALLBACK#{id}', sk: 'CALLBACK' },
    indexes: {
      GSI2: [{ pk: 'CALLBACKS_DUE', sk: '{priorityRank}#{nextAttemptAt}#{id}' }],
      GSI3: [{ pk: 'CALLBACKS#{status}', sk: 'CALLBACK#{id}' }],
      GSI4: [{ pk: 'CASE_CALLBACKS#{caseId}', sk: 'CALLBACK#{id}' }],
      GSI5: [{ pk: 'CALLBACKS', sk: 'CALLBACK#{id}' }],
    },
  },
  'callback-guard': { tag: 'callback-guard', owner: 'telephony', key: { pk: 'CALLBACK_OPEN#{phone}', sk: 'CALLBACK_OPEN' } },
  'call-stats': { tag: 'call-stats', owner: 'telephony', key: { pk: 'CALL_STATS', sk: 'HOUR#{hour}' } },
} as const satisfies Record<string, EntityDesign>;

/** The agent-state table: agents' profiles and live states, and routing's work items. */
export const AGENT_STATE_TABLE_ENTITIES = {
  agent: {
    tag: 'agent',
    owner: 'agents',
    key: { pk: 'AGENT#{id}', sk: 'PROFILE' },
    indexes: { GSI1: [{ pk: 'AGENTS', sk: 'AGENT#{id}' }] },
  },
  'agent-state': {
    tag: 'agent-state',
    owner: 'agents',
    key: { pk: 'AGENT#{agentId}', sk: 'STATE' },
    indexes: { GSI1: [{ pk: 'AGENTS', sk: 'AGENT#{agentId}#STATE' }] },
  },
  work: {
    tag: 'work',
    owner: 'routing',
    key: { pk: 'WORK#{id}', sk: 'WORK' },
    indexes: {
      GSI2: [
        { pk: 'BACKLOG#{queue}', sk: '{rank}#{enqueuedAt}#{id}' },
        { pk: 'OWNER#{agentId}', sk: '{offeredAt}#{id}' },
      ],
    },
  },
  'queue-counts': { tag: 'queue-counts', owner: 'routing', key: { pk: 'QUEUE_COUNTS#{queue}', sk: 'COUNTS' } },
} as const satisfies Record<string, EntityDesign>;

export const TABLE_ENTITIES = { cases: CASES_TABLE_ENTITIES, agentState: AGENT_STATE_TABLE_ENTITIES } as const;
export type TableName = keyof typeof TABLE_ENTITIES;

/**
 * Where one query on purpose reads two entities and tells them apart by their `entity` tag: the
 * only overlaps of key formats the registry allows (the entities test fails on any other).
 */
export const SHARED_READS: readonly { table: TableName; index: 'table' | IndexName; entities: readonly [string, string]; why: string }[] = [
  {
    table: 'agentState',
    index: 'GSI1',
    entities: ['agent', 'agent-state'],
    why: 'the staff list: one query of `AGENTS` reads every profile with its live state',
  },
];

/** The placeholder names of a key template, as a type. */
type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;
/** The values a key template wants, by placeholder. */
export type KeyValues<T extends string> = Record<Placeholders<T>, string | number>;

/** A key template with its placeholders filled. */
export function fill<T extends string>(template: T, values: KeyValues<T>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String((values as Record<string, string | number>)[name]));
}

/** The literal start of a key template, before its first placeholder: what `begins_with` queries ask for. */
export function literalPrefix(template: string): string {
  const brace = template.indexOf('{');
  return brace === -1 ? template : template.slice(0, brace);
}

/** The primary key of an item. */
export function primaryKey<K extends KeyTemplate>(
  template: K,
  values: KeyValues<K['pk']> & KeyValues<K['sk']>,
): { PK: string; SK: string } {
  return { PK: fill(template.pk, values), SK: fill(template.sk, values) };
}

/** The key attributes of an item on one index: `GSI<n>PK` and `GSI<n>SK`. */
export function indexKey<N extends IndexName, K extends KeyTemplate>(
  index: N,
  template: K,
  values: KeyValues<K['pk']> & KeyValues<K['sk']>,
): Record<`${N}PK` | `${N}SK`, string> {
  return { [`${index}PK`]: fill(template.pk, values), [`${index}SK`]: fill(template.sk, values) } as Record<`${N}PK` | `${N}SK`, string>;
}

/**
 * A DynamoDB stream filter pattern: inserted or modified items of one entity, optionally with more
 * conditions on the new image (in the stream's typed form).
 */
export function newImageFilter(entity: { tag: string }, more: Record<string, unknown> = {}) {
  return { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entity: { S: [entity.tag] }, ...more } } };
}
