import type { z } from 'zod';
import { caseDepsFromEnv } from '../../adapters/compose/case-deps.js';
import { findCustomer } from '../../domain/use-cases/find-customer.js';
import { getCustomer } from '../../domain/use-cases/get-customer.js';
import type { schemas } from './contract.js';
import { createApiHandler } from './http/api-handler.js';

const deps = caseDepsFromEnv();

export const handler = createApiHandler('customers', {
  'GET /customers': async ({ query }) => ({ body: await findCustomer(deps, query as z.infer<typeof schemas.findCustomerQuery>) }),
  'GET /customers/{id}': async ({ params, query }) => {
    const found = await getCustomer(deps, params.id ?? '', query as z.infer<typeof schemas.pageQuery>);
    return { body: { customer: found.customer, cases: found.cases.items, nextCursor: found.cases.nextCursor } };
  },
});
