import type { Actor } from '../actor.js';
import type { Case, Channel, CustomFieldValue, Priority } from '../cases/case.js';
import { formatCaseNumber } from '../cases/case-number.js';
import { isoNow } from '../clock.js';
import type { Customer, Identity } from '../customers/customer.js';
import { normalizeEmail, normalizePhone, primaryIdentity } from '../customers/customer.js';
import { ContentionError, ValidationError } from '../errors.js';
import { CommitConflict, identityKey, type IntakeState } from '../ports.js';
import { MAX_COMMIT_ATTEMPTS, type CaseDeps } from './deps.js';

export interface OpenCaseInput {
  subject: string;
  description: string;
  channel: Channel;
  customer: { email?: string | undefined; phone?: string | undefined; name?: string | undefined };
  priority?: Priority | undefined;
  category?: string | undefined;
  queue?: string | undefined;
  language?: string | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, CustomFieldValue> | undefined;
}

/**
 * Opens a case for the customer who owns the given email or phone, creating the customer when unknown.
 *
 * 1. Normalize the identities (lower-case email, E.164 phone) and check the queue exists.
 * 2. Read the case counter and the owners of the identities (one read request).
 * 3. Resolve the customer: the owner of the email, else the owner of the phone, else a new one;
 *    claim the identities nobody owns yet. An identity owned by another customer stays theirs.
 * 4. Build the case with the next number and its `case.created` audit entry.
 * 5. Commit everything in one transaction; if another intake took the number or an identity
 *    meanwhile, read again and retry (bounded).
 */
export async function openCase(deps: CaseDeps, input: OpenCaseInput, actor: Actor): Promise<Case> {
  const identities = normalizeIdentities(input.customer);
  const queue = input.queue ?? deps.settings.defaultQueue;
  if (!deps.settings.queues.some((known) => known.name === queue)) {
    throw new ValidationError('unknown queue', [{ path: 'queue', message: `no queue named '${queue}'` }]);
  }

  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    try {
      const state = await deps.cases.readIntakeState(identities);
      const resolved = await resolveCustomer(deps, state, identities, input);
      const created = buildCase(deps, input, queue, state.lastCaseSequence + 1, resolved.customer, actor);
      await deps.cases.commitOpenCase({
        case: created.case,
        timeline: created.timeline,
        expectedLastSequence: state.lastCaseSequence,
        customer: resolved.customer,
        createCustomer: resolved.isNew,
        claimIdentities: resolved.claim,
      });
      return created.case;
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError('too many cases are being opened at once; retry the request');
}

function normalizeIdentities(customer: OpenCaseInput['customer']): Identity[] {
  const identities: Identity[] = [];
  if (customer.email) identities.push({ type: 'email', value: normalizeEmail(customer.email) });
  if (customer.phone) identities.push({ type: 'phone', value: normalizePhone(customer.phone) });
  if (identities.length === 0) {
    throw new ValidationError('a case needs the customer’s email or phone', [
      { path: 'customer', message: 'give customer.email or customer.phone' },
    ]);
  }
  return identities;
}

async function resolveCustomer(
  deps: CaseDeps,
  state: IntakeState,
  identities: Identity[],
  input: OpenCaseInput,
): Promise<{ customer: Customer; isNew: boolean; claim: Identity[] }> {
  const ownerId = identities.map((identity) => state.ownerByIdentity.get(identityKey(identity))).find(Boolean);
  const free = identities.filter((identity) => !state.ownerByIdentity.has(identityKey(identity)));
  const existing = ownerId ? await deps.customers.getCustomer(ownerId) : null;
  if (existing) {
    return { customer: { ...existing, identities: [...existing.identities, ...free] }, isNew: false, claim: free };
  }
  if (ownerId) {
    // The identity record points at a customer that is gone: a conflict the retry resolves by re-reading.
    throw new CommitConflict('identity');
  }
  const now = isoNow(deps.clock);
  const customer: Customer = {
    id: deps.ids.newId(),
    name: input.customer.name?.trim() || null,
    identities,
    preferredLanguage: input.language ?? null,
    tier: 'standard',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  return { customer, isNew: true, claim: [] };
}

function buildCase(deps: CaseDeps, input: OpenCaseInput, queue: string, sequence: number, customer: Customer, actor: Actor) {
  const now = isoNow(deps.clock);
  const caseId = deps.ids.newId();
  const created: Case = {
    id: caseId,
    number: formatCaseNumber(sequence),
    subject: input.subject.trim(),
    description: input.description,
    channel: input.channel,
    status: 'new',
    priority: input.priority ?? 'normal',
    category: input.category ?? null,
    queue,
    language: input.language ?? customer.preferredLanguage,
    customerId: customer.id,
    customer: {
      id: customer.id,
      name: customer.name,
      email: primaryIdentity(customer, 'email'),
      phone: primaryIdentity(customer, 'phone'),
      tier: customer.tier,
    },
    assigneeId: null,
    tags: [...new Set((input.tags ?? []).map((tag) => tag.trim()).filter(Boolean))],
    customFields: input.customFields ?? {},
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: actor.id,
    statusChangedAt: now,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
  };
  const timeline = {
    id: deps.ids.newId(),
    caseId,
    at: now,
    actor: { kind: actor.kind, id: actor.id },
    action: 'case.created',
    changes: [],
    data: { number: created.number, channel: created.channel, queue, priority: created.priority, customerId: customer.id },
  };
  return { case: created, timeline };
}
