import type { Actor } from '#platform/domain/actor';
import { assertNoReservedCustomFields, type Case, type Channel, type CustomFieldValue, type Priority } from '../domain/case.js';
import type { Identity } from '#customers';
import { normalizeEmail, normalizePhone } from '#customers';
import { ContentionError, ValidationError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { buildNewCase, ownerOf, resolveCustomer } from './case-intake.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import { type CaseDeps } from './deps.js';

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
 * 1. Normalize the identities (lower-case email, E.164 phone), check the queue exists and that no
 *    custom field has a name Switchboard keeps for itself.
 * 2. Read the case counter and the owners of the identities (one read request).
 * 3. Resolve the customer: the owner of the email, else the owner of the phone, else a new one;
 *    claim the identities nobody owns yet. An identity owned by another customer stays theirs.
 * 4. Build the case with the next number and its `case.created` audit entry.
 * 5. Commit everything in one transaction; if another intake took the number or an identity
 *    meanwhile, read again and retry (bounded).
 */
export async function openCase(deps: CaseDeps, input: OpenCaseInput, actor: Actor): Promise<Case> {
  assertNoReservedCustomFields(input.customFields);
  const identities = normalizeIdentities(input.customer);
  const queue = input.queue ?? deps.settings.defaultQueue;
  if (!deps.settings.queues.some((known) => known.name === queue)) {
    throw new ValidationError('unknown queue', [{ path: 'queue', message: `no queue named '${queue}'` }]);
  }

  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    try {
      const state = await deps.cases.readIntakeState(identities);
      const ownerId = ownerOf(state.ownerByIdentity, identities);
      const existing = ownerId ? await deps.customers.getCustomer(ownerId) : null;
      const resolved = resolveCustomer(deps, state.ownerByIdentity, identities, existing, {
        name: input.customer.name ?? null,
        language: input.language ?? null,
      });
      const created = buildNewCase(deps, { ...input, queue }, state.lastCaseSequence + 1, resolved.customer, actor);
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
