import { createApiHandler, implement } from '#platform/api/api-handler';
import { customerDepsFromEnv } from '../adapters/customer-deps-from-env.js';
import { findCustomer } from '../use-cases/find-customer.js';
import { CUSTOMER_ROUTES, customerRoutes } from './routes.js';

const deps = customerDepsFromEnv();

export const handler = createApiHandler('customers', CUSTOMER_ROUTES, [
  implement(customerRoutes.findCustomer, async ({ query }) => ({ body: await findCustomer(deps, query) })),
]);
