import type { Customer, Identity } from '../domain/customer.js';
import { normalizeEmail, normalizePhone } from '../domain/customer.js';
import { NotFoundError, ValidationError } from '#platform/domain/errors';
import type { CustomerDeps } from './deps.js';

/**
 * Finds the customer who owns an email address or phone number.
 *
 * 1. Normalize the identity the way intake stores it.
 * 2. Resolve it to the customer id, then read the customer.
 *
 * @throws ValidationError when neither is given, NotFoundError when nobody owns it.
 */
export async function findCustomer(deps: CustomerDeps, by: { email?: string | undefined; phone?: string | undefined }): Promise<Customer> {
  const identity: Identity | null = by.email
    ? { type: 'email', value: normalizeEmail(by.email) }
    : by.phone
      ? { type: 'phone', value: normalizePhone(by.phone) }
      : null;
  if (!identity) {
    throw new ValidationError('give email or phone', [{ path: 'email', message: 'give ?email= or ?phone=' }]);
  }
  const id = await deps.customers.findCustomerIdByIdentity(identity);
  const customer = id ? await deps.customers.getCustomer(id) : null;
  if (!customer) throw new NotFoundError('customer', identity.value);
  return customer;
}
