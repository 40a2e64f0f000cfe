import * as z from 'zod';
import type { Role } from '../domain/actor.js';

/** Zod pieces the features' request schemas and views share. */

export const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _ (at most 64)');
export const language = z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code such as pl, en or de');
export const limit = z.coerce.number().int().min(1).max(100).default(25);
export const cursor = z.string().max(2048).optional();
export const pageQuery = z.object({ limit, cursor }).strict();

/** The longest email address there is (RFC 5321's path limit less its angle brackets). */
export const EMAIL_MAX_CHARS = 254;

/**
 * An email address a request gives. The length check aborts, so no pattern ever runs over an
 * oversized value (a pattern's cost grows with its input; the limit bounds it).
 */
export const emailAddress = z
  .string()
  .max(EMAIL_MAX_CHARS, { abort: true })
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address');

/** An email address to look up or to open a case for, checked for length only: the domain normalizes it. */
export const emailLookup = z.string().max(EMAIL_MAX_CHARS);

/** Groups of the routes every member of staff may call, and the ones for supervision. */
export const STAFF: readonly Role[] = ['agents', 'supervisors', 'admins'];
export const SUPERVISION: readonly Role[] = ['supervisors', 'admins'];

/** A page of a list: its items and the cursor of the next page, null on the last. */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** The body of every error response. */
export const errorView = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});
