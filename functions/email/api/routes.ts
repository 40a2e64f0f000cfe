import * as z from 'zod';
import { CASE_LIMITS, messageView } from '#cases';
import { route } from '#platform/api/route';
import { STAFF } from '#platform/api/schema-parts';

const replyBody = z
  .object({
    body: z.string().trim().min(1).max(CASE_LIMITS.descriptionMaxChars),
    /** One of the case's participants; the case's customer when left out. */
    to: z.string().max(254).optional(),
    cc: z.array(z.string().max(254)).max(10).optional(),
    awaitCustomer: z.boolean().optional(),
  })
  .strict();

/** The email API function's routes. */
export const emailRoutes = {
  reply: route({
    method: 'POST',
    path: '/cases/{id}/replies',
    function: 'email',
    access: STAFF,
    summary: 'Answer the customer by email (queued for sending); stamps the first response and opens a new case',
    body: replyBody,
    success: { status: 201, view: messageView, description: 'The queued reply' },
    errors: [400, 404, 409, 413, 415, 422],
  }),
};

export const EMAIL_ROUTES = Object.values(emailRoutes);
