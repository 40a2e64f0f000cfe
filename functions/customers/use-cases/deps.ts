import type { CustomerStore } from '../domain/customer-ports.js';

/** What the customer use cases depend on. */
export interface CustomerDeps {
  customers: CustomerStore;
}
