import * as z from 'zod';
import { CASE_LIMITS, CHANNELS, PRIORITIES, STATUSES } from '../domain/case.js';
import { cursor, emailLookup, language, limit, slug } from '#platform/api/schema-parts';

/** What the cases API accepts: request bodies and queries. */

export const customFieldValue = z.union([z.string().max(CASE_LIMITS.customFieldValueMaxChars), z.number(), z.boolean(), z.null()]);
const customFields = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a field name of letters, digits and _'), customFieldValue)
  .refine((fields) => Object.keys(fields).length <= CASE_LIMITS.customFieldsMax, {
    message: `at most ${CASE_LIMITS.customFieldsMax} custom fields`,
  });
const tags = z.array(z.string().trim().min(1).max(CASE_LIMITS.tagMaxChars)).max(CASE_LIMITS.tagsMax);

export const openCaseBody = z
  .object({
    subject: z.string().trim().min(1).max(CASE_LIMITS.subjectMaxChars),
    description: z.string().max(CASE_LIMITS.descriptionMaxChars),
    channel: z.enum(CHANNELS),
    customer: z
      .object({
        email: emailLookup.optional(),
        phone: z.string().max(32).optional(),
        name: z.string().max(200).optional(),
        /** The caller checked that the email and phone are one person's (supervisors and admins). */
        verified: z.boolean().optional(),
      })
      .strict()
      .refine((customer) => Boolean(customer.email || customer.phone), { message: 'give customer.email or customer.phone' }),
    priority: z.enum(PRIORITIES).optional(),
    category: slug.optional(),
    queue: slug.optional(),
    language: language.optional(),
    tags: tags.optional(),
    customFields: customFields.optional(),
  })
  .strict();

export const updateCaseBody = z
  .object({
    status: z.enum(STATUSES).optional(),
    reopen: z.boolean().optional(),
    priority: z.enum(PRIORITIES).optional(),
    category: slug.nullable().optional(),
    queue: slug.optional(),
    /** Supervisors and admins assign anyone (null unassigns); an agent may only give back their own case. */
    assigneeId: z.string().min(1).max(128).nullable().optional(),
    tags: tags.optional(),
    customFields: customFields.optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).some((key) => key !== 'version' && key !== 'reopen'), {
    message: 'give at least one field to change',
  });

export const addNoteBody = z.object({ body: z.string().trim().min(1).max(CASE_LIMITS.noteMaxChars) }).strict();

export const mergeBody = z.object({ intoCaseId: z.string().min(1).max(64) }).strict();

export const listCasesQuery = z
  .object({
    status: z.enum(STATUSES).optional(),
    queue: slug.optional(),
    assigneeId: z.string().min(1).max(128).optional(),
    customerId: z.string().min(1).max(64).optional(),
    priority: z.enum(PRIORITIES).optional(),
    limit,
    cursor,
  })
  .strict();
