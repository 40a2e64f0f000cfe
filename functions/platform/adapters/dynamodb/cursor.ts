import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../domain/errors.js';
import { ENV, readEnv } from '../env-variables.js';

type Key = Record<string, unknown>;

/**
 * Cursors carry a DynamoDB start key, which a caller could otherwise edit to read another case's
 * partition or another index. Each is signed (HMAC-SHA256) with the deployment's key, a secret the
 * stack generates; one that was not made here, or was changed, is a 400.
 */
let signingKey: Buffer | undefined;

/** The key, read on first use: only functions that page need it, and a missing one fails naming it. */
function key(): Buffer {
  signingKey ??= Buffer.from(readEnv(ENV.cursorSigningKey), 'utf8');
  return signingKey;
}

function sign(payload: string): Buffer {
  return createHmac('sha256', key()).update(payload).digest();
}

/** Encodes where a query stopped as an opaque, signed, URL-safe cursor, bound to the index it belongs to. */
export function encodeCursor(index: string, startKey: Key): string {
  const payload = Buffer.from(JSON.stringify({ i: index, k: startKey }), 'utf8').toString('base64url');
  return `${payload}.${sign(payload).toString('base64url')}`;
}

/** Decodes a cursor made by `encodeCursor` for the same index. @throws ValidationError on anything else. */
export function decodeCursor(index: string, cursor: string | undefined): Key | undefined {
  if (!cursor) return undefined;
  const [payload = '', signature = '', ...rest] = cursor.split('.');
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(payload);
  if (rest.length === 0 && given.length === expected.length && timingSafeEqual(given, expected)) {
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { i?: unknown; k?: unknown };
      if (parsed.i === index && parsed.k && typeof parsed.k === 'object') {
        const startKey = parsed.k as Key;
        if (Object.values(startKey).every((value) => typeof value === 'string')) return startKey;
      }
    } catch {
      // fall through to the validation error below
    }
  }
  throw new ValidationError('invalid cursor', [{ path: 'cursor', message: 'not a cursor this list returned' }]);
}
