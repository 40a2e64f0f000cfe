import * as z from 'zod';
import { TIERS } from '../domain/customer.js';

/** What the API shows of a customer. */
const identity = z.object({ type: z.enum(['email', 'phone']), value: z.string() });

export const customerView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  identities: z.array(identity),
  preferredLanguage: z.string().nullable(),
  tier: z.enum(TIERS),
  /** Another customer this one may be (an identity of theirs came with this one's, unverified). */
  possibleDuplicateOf: z.string().nullable().default(null),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
