import { type Actor, actorHasRole, type Role } from '#platform/domain/actor';
import { assertNoReservedCustomFields, type Case, type Channel, type CustomFieldValue, type Priority } from '../domain/case.js';
import type { Identity } from '#customers';
import { normalizeEmail, normalizePhone } from '#customers';
import { ContentionError, ForbiddenError, ValidationError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { buildNewCase, ownerOf, resolveCustomer } from './case-intake.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import { type CaseDeps } from './deps.js';

/** Who may vouch that identities are one person's (the system, for integrations, holds every role). */
const VERIFY_ROLES: readonly Role[] = ['supervisors', 'admins'];

export interface OpenCaseInput {
  subject: string;
  description: string;
  channel: Channel;
  customer: {
    email?: string | undefined;
    phone?: string | undefined;
    name?: string | undefined;
    /** The caller vouches that the email and phone are one person's: a new one joins the owner of the other. */
    verified?: boolean | undefined;
  };
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
 *    claim the identities nobody owns yet for the owner only when the caller vouched for them
 *    (`customer.verified`, supervisors and admins); else they go to a new customer flagged
 *    `possibleDuplicateOf` the owner. An identity owned by another customer stays theirs.
 * 4. Build the case with the next number and its `case.created` audit entry.
 * 5. Commit everything in one transaction; if another intake took the number or an identity
 *    meanwhile, read again and retry (bounded).
 */
export async function openCase(deps: CaseDeps, input: OpenCaseInput, actor: Actor): Promise<Case> {
  assertNoReservedCustomFields(input.customFields);
  if (input.customer.verified === true && !actorHasRole(actor, VERIFY_ROLES)) {
    throw new ForbiddenError('only supervisors and admins vouch for a customer’s identities (customer.verified)', {
      requiredGroups: VERIFY_ROLES,
    });
  }
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
      const resolved = resolveCustomer(
        deps,
        state.ownerByIdentity,
        identities,
        existing,
        { name: input.customer.name ?? null, language: input.language ?? null },
        { verified: input.customer.verified },
      );
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
