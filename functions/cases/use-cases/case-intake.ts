import type { Actor } from '#platform/domain/actor';
import { type Case, type Channel, type CustomFieldValue, EMPTY_CASE_METRICS, type Priority, type RelatedCase } from '../domain/case.js';
import { formatCaseNumber } from '../domain/case-number.js';
import type { TimelineEntry } from '../domain/timeline.js';
import { isoNow } from '#platform/domain/clock';
import type { Customer, Identity } from '#customers';
import { CUSTOMER_LIMITS, primaryIdentity } from '#customers';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { identityKey } from '#customers';
import type { CaseDeps } from './deps.js';

/**
 * The steps every intake shares (the API's openCase, email, later phone): find or create the
 * customer behind the identities, and build a new case with its first audit entry.
 */

export interface ResolvedCustomer {
  customer: Customer;
  isNew: boolean;
  /** Identities of the request that nobody owned yet, now claimed for this customer. */
  claim: Identity[];
}

/**
 * The owner of the first identity that has one, with the free identities added when the caller
 * vouches (`verified`) that they are the owner's or when there are none; otherwise a new customer
 * with the free identities, flagged as a possible duplicate of the owner. With no owner, a new
 * customer with all of them. An identity owned by another customer is never moved.
 *
 * @param existing the owner's stored record, read by the caller (null when no identity is owned)
 */
export function resolveCustomer(
  deps: Pick<CaseDeps, 'clock' | 'ids'>,
  ownerByIdentity: ReadonlyMap<string, string>,
  identities: Identity[],
  existing: Customer | null,
  newCustomer: { name: string | null; language: string | null },
  options: { verified?: boolean | undefined } = {},
): ResolvedCustomer {
  const ownerId = identities.map((identity) => ownerByIdentity.get(identityKey(identity))).find(Boolean);
  const unowned = identities.filter((identity) => !ownerByIdentity.has(identityKey(identity)));
  if (ownerId) {
    // An identity pointing at a customer that is not there: a race the caller resolves by re-reading.
    if (!existing || existing.id !== ownerId) throw new CommitConflict('identity');
    const free = unowned.slice(0, Math.max(0, CUSTOMER_LIMITS.identitiesMax - existing.identities.length));
    if (unowned.length === 0 || options.verified === true) {
      return { customer: { ...existing, identities: [...existing.identities, ...free] }, isNew: false, claim: free };
    }
    // Someone's word that a new address and a known phone (or the reverse) are one person's would
    // hand them that person's history: the new identity gets a customer of its own, flagged.
    return { customer: newCustomerWith(deps, unowned, newCustomer, ownerId), isNew: true, claim: [] };
  }
  return { customer: newCustomerWith(deps, identities, newCustomer, null), isNew: true, claim: [] };
}

function newCustomerWith(
  deps: Pick<CaseDeps, 'clock' | 'ids'>,
  identities: Identity[],
  newCustomer: { name: string | null; language: string | null },
  possibleDuplicateOf: string | null,
): Customer {
  const now = isoNow(deps.clock);
  return {
    id: deps.ids.newId(),
    name: newCustomer.name?.trim() || null,
    identities: identities.slice(0, CUSTOMER_LIMITS.identitiesMax),
    preferredLanguage: newCustomer.language,
    tier: 'standard',
    possibleDuplicateOf,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The owner id of the first owned identity, to read before `resolveCustomer`. */
export function ownerOf(ownerByIdentity: ReadonlyMap<string, string>, identities: Identity[]): string | null {
  return identities.map((identity) => ownerByIdentity.get(identityKey(identity))).find(Boolean) ?? null;
}

export interface NewCaseFields {
  subject: string;
  description: string;
  channel: Channel;
  priority?: Priority | null | undefined;
  category?: string | null | undefined;
  queue: string;
  language?: string | null | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, CustomFieldValue> | undefined;
  /** A case opened for a call Amazon Connect is routing (see `Case.connectCallInProgress`). */
  connectCallInProgress?: boolean;
  status?: 'new' | 'quarantined';
  relatedCases?: RelatedCase[];
  /** Extra facts for the `case.created` audit entry (e.g. the rules that classified it). */
  auditData?: Record<string, unknown>;
}

/** A new case numbered `sequence`, for `customer`, with its `case.created` audit entry. */
export function buildNewCase(
  deps: Pick<CaseDeps, 'clock' | 'ids' | 'secrets'>,
  fields: NewCaseFields,
  sequence: number,
  customer: Customer,
  actor: Actor,
): { case: Case; timeline: TimelineEntry } {
  const now = isoNow(deps.clock);
  const caseId = deps.ids.newId();
  const created: Case = {
    id: caseId,
    number: formatCaseNumber(sequence),
    subject: fields.subject.trim(),
    description: fields.description,
    channel: fields.channel,
    status: fields.status ?? 'new',
    priority: fields.priority ?? 'normal',
    category: fields.category ?? null,
    queue: fields.queue,
    language: fields.language ?? customer.preferredLanguage,
    customerId: customer.id,
    customer: {
      id: customer.id,
      name: customer.name,
      email: primaryIdentity(customer, 'email'),
      phone: primaryIdentity(customer, 'phone'),
      tier: customer.tier,
    },
    assigneeId: null,
    tags: [...new Set((fields.tags ?? []).map((tag) => tag.trim()).filter(Boolean))],
    customFields: fields.customFields ?? {},
    connectCallInProgress: fields.connectCallInProgress ?? false,
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: actor.id,
    statusChangedAt: now,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    firstResponseAt: null,
    // The request that opens the case waits for its first answer from now.
    awaitingResponseSince: now,
    metrics: EMPTY_CASE_METRICS,
    slaState: null,
    replyToken: deps.secrets.newReplyToken(),
    participants: customer.identities.filter((identity) => identity.type === 'email').map((identity) => identity.value),
    relatedCases: fields.relatedCases ?? [],
  };
  const timeline: TimelineEntry = {
    id: deps.ids.newId(),
    caseId,
    at: now,
    actor: { kind: actor.kind, id: actor.id },
    action: 'case.created',
    changes: [],
    data: {
      number: created.number,
      channel: created.channel,
      queue: created.queue,
      priority: created.priority,
      customerId: customer.id,
      ...fields.auditData,
    },
  };
  return { case: created, timeline };
}
