import { ValidationError } from '../../domain/errors.js';

type Key = Record<string, unknown>;

/** Encodes where a query stopped as an opaque URL-safe cursor, bound to the index it belongs to. */
export function encodeCursor(index: string, key: Key): string {
  return Buffer.from(JSON.stringify({ i: index, k: key }), 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor` for the same index. @throws ValidationError on anything else. */
export function decodeCursor(index: string, cursor: string | undefined): Key | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { i?: unknown; k?: unknown };
    if (parsed.i === index && parsed.k && typeof parsed.k === 'object') {
      const key = parsed.k as Key;
      if (Object.values(key).every((value) => typeof value === 'string')) return key;
    }
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationError('invalid cursor', [{ path: 'cursor', message: 'not a cursor this list returned' }]);
}
