import { ValidationError } from '#platform/domain/errors';
import { normalizePhone } from '#customers';

/**
 * What carriers and Amazon Connect put in the caller's address when the caller ID is withheld or
 * unknown (CLIR): `anonymous`, `+anonymous`, `restricted`, `private`, `unavailable`, `unknown`.
 * Anything else that is not an international number counts as withheld too; this list only saves
 * the parse and names the usual cases.
 */
const WITHHELD_MARKERS = new Set(['anonymous', '+anonymous', 'restricted', 'private', 'unavailable', 'unknown', 'withheld']);

/**
 * The caller's number in E.164, normalized the way customer identities are stored (see
 * `normalizePhone`), or null when it is withheld: no address, an empty one, a withheld marker, or a
 * number that is not an international one (a national number cannot be resolved safely across the
 * countries a contact center serves).
 */
export function callerPhone(address: string | null | undefined): string | null {
  const raw = address?.trim() ?? '';
  if (raw === '' || WITHHELD_MARKERS.has(raw.toLowerCase())) return null;
  try {
    return normalizePhone(raw);
  } catch (error) {
    if (error instanceof ValidationError) return null;
    throw error;
  }
}
