import { PRIORITIES, type Priority } from '#cases';
import type { Identity } from '#customers';

/**
 * Every key format of both tables, in one place (see docs/access-patterns.md).
 * Upper-case prefixes name the entity; ULIDs make sort keys chronological.
 */
export const keys = {
  case: (caseId: string) => ({ PK: `CASE#${caseId}`, SK: 'CASE' }),
  /** Index keys of a case: by customer, status, queue, assignee (sparse) and all cases. */
  caseIndexes: (c: { id: string; customerId: string; status: string; queue: string; assigneeId: string | null }) => ({
    GSI1PK: `CUSTOMER#${c.customerId}`,
    GSI1SK: `CASE#${c.id}`,
    GSI2PK: `STATUS#${c.status}`,
    GSI2SK: `CASE#${c.id}`,
    GSI3PK: `QUEUE#${c.queue}`,
    GSI3SK: `CASE#${c.id}`,
    ...(c.assigneeId ? { GSI4PK: `ASSIGNEE#${c.assigneeId}`, GSI4SK: `CASE#${c.id}` } : {}),
    GSI5PK: 'CASES',
    GSI5SK: `CASE#${c.id}`,
  }),
  caseIndexPartition: {
    customer: (customerId: string) => `CUSTOMER#${customerId}`,
    status: (status: string) => `STATUS#${status}`,
    queue: (queue: string) => `QUEUE#${queue}`,
    assignee: (agentId: string) => `ASSIGNEE#${agentId}`,
    all: () => 'CASES',
  },
  caseSortPrefix: 'CASE#',
  /** Maps a human case number's sequence to the case id; also guarantees numbers are unique. */
  caseNumber: (sequence: number) => ({ PK: `CASENUMBER#${sequence}`, SK: 'CASENUMBER' }),
  caseCounter: () => ({ PK: 'COUNTER#case', SK: 'COUNTER' }),
  timelineEntry: (caseId: string, entryId: string) => ({ PK: `CASE#${caseId}`, SK: `TIMELINE#${entryId}` }),
  timelinePrefix: 'TIMELINE#',
  note: (caseId: string, noteId: string) => ({ PK: `CASE#${caseId}`, SK: `NOTE#${noteId}` }),
  /** Messages sort right after the case item (`CASE` < `CASE#MSG#…`), so one query reads a case with its messages. */
  message: (caseId: string, messageItemId: string) => ({ PK: `CASE#${caseId}`, SK: `CASE#MSG#${messageItemId}` }),
  messagePrefix: 'CASE#MSG#',
  /** Every Message-ID we stored (inbound and outbound) → its case: header threading and duplicate deliveries. */
  messageId: (messageId: string) => ({ PK: `MSGID#${messageId.toLowerCase()}`, SK: 'MSGID' }),
  /** Sender + subject + text of a recent new case, kept 10 minutes (TTL) to catch resends. */
  mailFingerprint: (fingerprint: string) => ({ PK: `MAILFP#${fingerprint}`, SK: 'MAILFP' }),
  /** When a sender was last acknowledged, for the hourly acknowledgement limit (TTL one hour). */
  acknowledgements: (sender: string) => ({ PK: `ACKS#${sender.toLowerCase()}`, SK: 'ACKS' }),

  /** A case's SLA record, in the case's partition (after its messages, before its timeline). */
  caseSla: (caseId: string) => ({ PK: `CASE#${caseId}`, SK: 'SLA' }),
  /**
   * GSI2 while an SLA record is at risk (warning or breached): its queue's list, earliest due
   * first (ISO timestamps sort in time order). Overloads GSI2 beside the `STATUS#` partitions.
   */
  atRiskIndex: (r: { queue: string; dueAt: string; caseId: string }) => ({
    GSI2PK: `SLA_AT_RISK#${r.queue}`,
    GSI2SK: `${r.dueAt}#${r.caseId}`,
  }),
  atRiskPartition: (queue: string) => `SLA_AT_RISK#${queue}`,
  /** The SLA configuration in force: every policy and calendar, one partition, read in one query. */
  slaConfigPartition: 'SLA_CONFIG',
  slaPolicy: (name: string) => ({ PK: 'SLA_CONFIG', SK: `POLICY#${name}` }),
  slaCalendar: (name: string) => ({ PK: 'SLA_CONFIG', SK: `CALENDAR#${name}` }),
  /** The deployment's default policies and calendars, written at each deployment from its configuration. */
  slaDefaults: { PK: 'SLA_CONFIG', SK: 'DEFAULTS' },
  /** Every stored version of an SLA document, kept so any past figure can be explained. */
  slaConfigVersion: (kind: 'POLICY' | 'CALENDAR', name: string, version: number) => ({
    PK: `SLA_CONFIG#${kind}#${name}`,
    SK: `V#${String(version).padStart(6, '0')}`,
  }),

  customer: (customerId: string) => ({ PK: `CUSTOMER#${customerId}`, SK: 'PROFILE' }),
  /** The profile sorts after `CASE#…` in GSI1, so a descending query yields it first, then the newest cases. */
  customerIndex: (customerId: string) => ({ GSI1PK: `CUSTOMER#${customerId}`, GSI1SK: 'PROFILE' }),
  /** One item per email or phone: its existence is what makes an identity unique across customers. */
  identity: (identity: Identity) => ({ PK: `IDENTITY#${identity.type}#${identity.value}`, SK: 'IDENTITY' }),
  /**
   * One item per Amazon Connect contact a flow gave a case: ContactId → case. Written only if absent,
   * in the same transaction as the case it opened or the link to an open case, so a repeated
   * invocation for the same contact (Connect retries) finds it and creates nothing. Kept (no TTL):
   * it is also how a contact finds its case later.
   */
  contact: (contactId: string) => ({ PK: `CONTACT#${contactId}`, SK: 'CONTACT' }),
  /**
   * In a contact's partition: the callback attempt that dialled this outbound contact, so the
   * contact's events find their callback when they carry no attributes. Kept 90 days (TTL).
   */
  dialledContact: (contactId: string) => ({ PK: `CONTACT#${contactId}`, SK: 'CALLBACK' }),
  /**
   * In a contact's partition: one contact event (by type) was handled. Written only if absent, in the
   * same transaction as what the event changed, so a redelivered event changes nothing. Kept 90 days
   * (TTL): EventBridge retries an event for at most 24 hours.
   */
  handledContactEvent: (contactId: string, eventType: string) => ({ PK: `CONTACT#${contactId}`, SK: `EVENT#${eventType}` }),

  /** A missed-call callback: the number, its case, its attempts and their outcomes. */
  callback: (callbackId: string) => ({ PK: `CALLBACK#${callbackId}`, SK: 'CALLBACK' }),
  /**
   * Index keys of a callback. GSI2 while unfinished (open or dialling): the dispatcher's list,
   * `<priority rank>#<nextAttemptAt>#<id>`, so "due now, VIP first" is one key-range query per rank
   * (`BETWEEN '<rank>#' AND '<rank>#<now>~'`), soonest due first. GSI3 by status and GSI5 all
   * callbacks, newest first by id (ULID). GSI4 while unfinished: the callbacks of a case. They
   * overload the cases' GSI2/3/4/5 beside `STATUS#`, `SLA_AT_RISK#`, `QUEUE#`, `ASSIGNEE#` and `CASES`.
   */
  callbackIndexes: (c: {
    id: string;
    caseId: string;
    status: string;
    priorityRank: number;
    nextAttemptAt: string | null;
    unfinished: boolean;
  }) => ({
    ...(c.unfinished && c.nextAttemptAt ? { GSI2PK: 'CALLBACKS_DUE', GSI2SK: `${c.priorityRank}#${c.nextAttemptAt}#${c.id}` } : {}),
    // GSI4 while unfinished: the callbacks of a case, which resolving or closing it cancels.
    ...(c.unfinished ? { GSI4PK: `CASE_CALLBACKS#${c.caseId}`, GSI4SK: `CALLBACK#${c.id}` } : {}),
    GSI3PK: `CALLBACKS#${c.status}`,
    GSI3SK: `CALLBACK#${c.id}`,
    GSI5PK: 'CALLBACKS',
    GSI5SK: `CALLBACK#${c.id}`,
  }),
  callbackDuePartition: 'CALLBACKS_DUE',
  caseCallbacksPartition: (caseId: string) => `CASE_CALLBACKS#${caseId}`,
  /** The due index's sort-key range of one priority rank up to an instant (ISO): `<rank>#` … `<rank>#<now>~` ('~' sorts after '#'). */
  callbackDueRange: (rank: number, now: string) => ({ from: `${rank}#`, to: `${rank}#${now}~` }),
  callbackIndexPartition: {
    status: (status: string) => `CALLBACKS#${status}`,
    all: () => 'CALLBACKS',
  },
  callbackSortPrefix: 'CALLBACK#',
  /**
   * One item per phone number (E.164) with an unfinished callback, naming it. Created only if absent
   * with the callback, deleted in the transaction that finishes it: its existence is what makes
   * one open callback per number.
   */
  openCallbackGuard: (phone: string) => ({ PK: `CALLBACK_OPEN#${phone}`, SK: 'CALLBACK_OPEN' }),
  /**
   * The missed-call report's counters of one UTC hour (`YYYY-MM-DDTHH`): missed, dialled, reached,
   * failed, added in the transaction of what they count. One partition, so a report of up to 31 days
   * (744 hours) is one query.
   */
  callStatsPartition: 'CALL_STATS',
  callStatsHour: (hour: string) => ({ PK: 'CALL_STATS', SK: `HOUR#${hour}` }),
  callStatsSortKey: (hour: string) => `HOUR#${hour}`,

  agent: (agentId: string) => ({ PK: `AGENT#${agentId}`, SK: 'PROFILE' }),
  agentIndex: (agentId: string) => ({ GSI1PK: 'AGENTS', GSI1SK: `AGENT#${agentId}` }),
  agentListPartition: 'AGENTS',
  /** Live state of an agent (presence, load, capacity), beside the profile so one query lists both. */
  agentState: (agentId: string) => ({ PK: `AGENT#${agentId}`, SK: 'STATE' }),
  agentStateIndex: (agentId: string) => ({ GSI1PK: 'AGENTS', GSI1SK: `AGENT#${agentId}#STATE` }),
  /** A case's turn in routing: who owns it, if anyone. */
  workItem: (workId: string) => ({ PK: `WORK#${workId}`, SK: 'WORK' }),
  /**
   * GSI2 while an item waits: its queue's backlog in routing order. The rank puts urgent (0) before
   * high, normal and low (3); ISO timestamps then order by age, and the id makes the key unique.
   */
  backlogIndex: (w: { queue: string; priority: Priority; enqueuedAt: string; id: string }) => ({
    GSI2PK: `BACKLOG#${w.queue}`,
    GSI2SK: `${PRIORITIES.length - 1 - PRIORITIES.indexOf(w.priority)}#${w.enqueuedAt}#${w.id}`,
  }),
  backlogPartition: (queue: string) => `BACKLOG#${queue}`,
  /** GSI2 while an agent holds an item (offered or accepted): the agent's work, oldest offer first. */
  ownerIndex: (agentId: string, offeredAt: string, workId: string) => ({ GSI2PK: `OWNER#${agentId}`, GSI2SK: `${offeredAt}#${workId}` }),
  ownerPartition: (agentId: string) => `OWNER#${agentId}`,
} as const;
