import type { z } from 'zod';
import type { schemas } from '#api/contract';
import { createApiHandler } from '#platform/api/api-handler';
import { customerDepsFromEnv } from '../adapters/customer-deps-from-env.js';
import { findCustomer } from '../use-cases/find-customer.js';

const deps = customerDepsFromEnv();

export const handler = createApiHandler('customers', {
  'GET /customers': async ({ query }) => ({ body: await findCustomer(deps, query as z.infer<typeof schemas.findCustomerQuery>) }),
});
