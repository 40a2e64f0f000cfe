import { ValidationError } from '#platform/domain/errors';

/** Channels a case can arrive through. */
export const CHANNELS = ['email', 'web', 'chat', 'phone', 'sms', 'whatsapp', 'messenger', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Priorities, lowest first; the order matters for escalation (one step up) and routing. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Case statuses. `pending` means waiting on the customer (SLA clocks pause);
 * `on_hold` means waiting on a third party or an internal team; `quarantined` holds a case opened
 * by mail that SES judged spam or infected until a person releases or closes it.
 */
export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'quarantined'] as const;
export type CaseStatus = (typeof STATUSES)[number];

/** Limits on case text. 998 is RFC 5322's line limit, which bounds an email subject. */
export const CASE_LIMITS = {
  subjectMaxChars: 998,
  descriptionMaxChars: 100_000,
  tagsMax: 50,
  tagMaxChars: 64,
  customFieldsMax: 50,
  customFieldKeyMaxChars: 64,
  customFieldValueMaxChars: 1_000,
  noteMaxChars: 100_000,
} as const;

export type CustomFieldValue = string | number | boolean | null;

/**
 * Custom-field names Switchboard itself uses or used: a request may not set, change or remove them.
 * `connectContactId` names the Amazon Connect contact a call case was opened for;
 * `connectCallInProgress` was the call-in-progress flag before it became the case's own
 * `connectCallInProgress` attribute (items written before still carry it; reading moves it over).
 */
export const RESERVED_CUSTOM_FIELDS: readonly string[] = ['connectCallInProgress', 'connectContactId'];

/** Refuses custom fields a request gives under a reserved name. @throws ValidationError */
export function assertNoReservedCustomFields(fields: Readonly<Record<string, unknown>> | undefined): void {
  const reserved = Object.keys(fields ?? {}).filter((name) => RESERVED_CUSTOM_FIELDS.includes(name));
  if (reserved.length === 0) return;
  throw new ValidationError(
    'reserved custom field',
    reserved.map((name) => ({ path: `customFields.${name}`, message: `'${name}' is kept by Switchboard itself and cannot be set` })),
  );
}

/** A customer as a case shows it: a snapshot taken when the case was opened. */
export interface CustomerSummary {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  tier: 'standard' | 'vip';
}

/** Why two cases belong together. */
export const CASE_RELATIONS = ['follow_up_of', 'possibly_same_thread_as', 'merged_into', 'merged_from'] as const;
export type CaseRelation = (typeof CASE_RELATIONS)[number];

export interface RelatedCase {
  caseId: string;
  number: string;
  relation: CaseRelation;
}

/** The SLA flag a case carries while one of its clocks is at risk. */
export type SlaFlag = 'warning' | 'breached';

/**
 * Handling figures stamped on the case as they happen. The seconds add up the wall-clock time of
 * finished status intervals: with the team (`new`, `open`, `on_hold`) and with the customer
 * (`pending`); the interval in progress counts from `statusChangedAt`.
 */
export interface CaseMetrics {
  /** When the case first got an owner: a routing offer, a pull, or a supervisor's assignment. */
  firstAssignedAt: string | null;
  /** When an agent first took the case: an accepted offer, a pull, or a supervisor's assignment. */
  firstAcceptedAt: string | null;
  /** The latest agent reply to the customer. */
  lastResponseAt: string | null;
  teamSeconds: number;
  customerSeconds: number;
}

export const EMPTY_CASE_METRICS: CaseMetrics = {
  firstAssignedAt: null,
  firstAcceptedAt: null,
  lastResponseAt: null,
  teamSeconds: 0,
  customerSeconds: 0,
};

/** A customer-service case (a ticket). */
export interface Case {
  id: string;
  /** Human number, e.g. `CS-000042`. */
  number: string;
  subject: string;
  description: string;
  channel: Channel;
  status: CaseStatus;
  priority: Priority;
  category: string | null;
  queue: string;
  language: string | null;
  customerId: string;
  customer: CustomerSummary;
  assigneeId: string | null;
  tags: string[];
  customFields: Record<string, CustomFieldValue>;
  /**
   * True while Amazon Connect routes a call of the case (set when the contact flow opens the case
   * or links the call to it, cleared when the call ends): Switchboard's router leaves it alone.
   * System state: no request changes it.
   */
  connectCallInProgress: boolean;
  /** Optimistic-locking counter: 1 on creation, +1 on every change. */
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  statusChangedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  /** When an agent first answered the customer (not an automatic acknowledgement, not a note). */
  firstResponseAt: string | null;
  /**
   * Since when the customer's oldest unanswered message waits for an agent's reply; null once an
   * agent answered. After the first response it runs the SLA's next-response clock.
   */
  awaitingResponseSince: string | null;
  /** Figures kept as the case is handled (see `caseMetrics` for the derived ones). */
  metrics: CaseMetrics;
  /** Whether an SLA clock of the case is in warning or breached (set by SLA evaluation); null when none is. */
  slaState: SlaFlag | null;
  /**
   * Secret of the case's mail thread: our outbound mail carries it beside the case number, so a
   * reply can be matched to the case while a guessed `[CS-000123]` alone cannot.
   */
  replyToken: string;
  /** Email addresses that took part in the case's mail (the customer's and every address on its messages). */
  participants: string[];
  relatedCases: RelatedCase[];
}
