import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { ValidationError } from '#platform/domain/errors';

export const TIERS = ['standard', 'vip'] as const;
export type Tier = (typeof TIERS)[number];

/** A way to reach a customer that identifies them: unique across all customers. */
export type Identity = { type: 'email'; value: string } | { type: 'phone'; value: string };

/** A person or organisation that contacts customer service. */
export interface Customer {
  id: string;
  name: string | null;
  /** Every email address and E.164 phone number known for the customer; each maps to this customer only. */
  identities: Identity[];
  preferredLanguage: string | null;
  tier: Tier;
  /**
   * Another customer this one may be: set when a request gave an identity of theirs beside a new one
   * without vouching that both belong to one person, so the new one was not linked to them.
   * Absent on customers stored before it existed.
   */
  possibleDuplicateOf?: string | null | undefined;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * A customer's identities are stored on its item; a sender who writes from ever new addresses (or
 * an import gone wrong) must not grow it towards DynamoDB's 400 KB. Past the cap, new identities are
 * not claimed: the case still opens for the customer who owns the first known identity, and a new
 * address opens a customer of its own.
 */
export const CUSTOMER_LIMITS = { identitiesMax: 50 } as const;
/** The longest email address there is (RFC 5321). */
export const EMAIL_MAX_CHARS = 254;

function invalidEmail(message: string): ValidationError {
  return new ValidationError('not a valid email address', [{ path: 'email', message }]);
}

/** Lower-cases and trims an email address; rejects anything without one `@` and a dotted domain. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  // Length first: the pattern never sees more than an address can hold, whatever the caller checked.
  if (email.length > EMAIL_MAX_CHARS) throw invalidEmail(`longer than ${EMAIL_MAX_CHARS} characters`);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalidEmail(`not a valid email address: ${raw}`);
  return email;
}

/**
 * Normalizes a phone number to E.164 (`+48601234567`). The number must carry its country code
 * (`+48 601 234 567` or `0048 601 234 567`): a contact center serves several countries, so a
 * national number cannot be resolved safely.
 */
export function normalizePhone(raw: string): string {
  const compact = raw.trim().replace(/^00/, '+');
  const parsed = compact.startsWith('+') ? parsePhoneNumberFromString(compact) : undefined;
  if (!parsed?.isPossible()) {
    throw new ValidationError('not a valid phone number', [
      { path: 'phone', message: `not an international phone number (E.164, e.g. +48601234567): ${raw}` },
    ]);
  }
  return parsed.number;
}

/** The first identity of a type, e.g. the customer's primary email address. */
export function primaryIdentity(customer: Pick<Customer, 'identities'>, type: Identity['type']): string | null {
  return customer.identities.find((identity) => identity.type === type)?.value ?? null;
}
