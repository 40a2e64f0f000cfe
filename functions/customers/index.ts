/**
 * The customers feature's public entry: what other features may use of its domain and use cases.
 * Everything else under functions/customers/ is the feature's own.
 */
export {
  CUSTOMER_LIMITS,
  type Customer,
  type Identity,
  normalizeEmail,
  normalizePhone,
  primaryIdentity,
  type Tier,
  TIERS,
} from './domain/customer.js';
export { type CustomerStore, identityKey } from './domain/customer-ports.js';
/** The API's view of a customer (a zod schema: the cases API shows it with a customer's cases). */
export { customerView } from './api/views.js';
