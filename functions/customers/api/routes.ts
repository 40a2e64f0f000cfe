import * as z from 'zod';
import { route } from '#platform/api/route';
import { emailLookup, STAFF } from '#platform/api/schema-parts';
import { customerView } from './views.js';

export const findCustomerQuery = z
  .object({ email: emailLookup.optional(), phone: z.string().max(32).optional() })
  .strict()
  .refine((query) => Boolean(query.email) !== Boolean(query.phone), { message: 'give exactly one of email or phone' });

/** The customers API function's routes (a customer's profile with cases is the cases function's). */
export const customerRoutes = {
  findCustomer: route({
    method: 'GET',
    path: '/customers',
    function: 'customers',
    access: STAFF,
    summary: 'Find the customer who owns an email address or phone number',
    query: findCustomerQuery,
    success: { status: 200, view: customerView, description: 'The customer' },
    errors: [400, 404],
  }),
};

export const CUSTOMER_ROUTES = Object.values(customerRoutes);
