import type { Customer, Identity } from './customer.js';

/** A stable key for an identity, e.g. `email:anna@example.com`. */
export function identityKey(identity: Identity): string {
  return `${identity.type}:${identity.value}`;
}

/** Persistence of customers and their identities (the cases table). */
export interface CustomerStore {
  getCustomer(id: string): Promise<Customer | null>;
  findCustomerIdByIdentity(identity: Identity): Promise<string | null>;
}
