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

/** A message's raw MIME, as bytes: the response is not JSON (see `success.mediaType`). */
export const rawMessageView = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes');

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
  rawMessage: route({
    method: 'GET',
    path: '/cases/{id}/messages/{messageId}/raw',
    function: 'email',
    access: STAFF,
    summary: 'The raw MIME of a received message, byte for byte as it arrived ("show original"); send Accept: message/rfc822',
    success: {
      status: 200,
      view: rawMessageView,
      mediaType: 'message/rfc822',
      description: 'The message exactly as received (headers, every part, every attachment)',
    },
    errors: [404],
  }),
};

export const EMAIL_ROUTES = Object.values(emailRoutes);
