import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '#platform/adapters/dynamodb/cursor';
import { ValidationError } from '#platform/domain/errors';

const key = { PK: 'CASE#01J0', SK: 'CASE#MSG#01J1' };

describe('list cursors', () => {
  it('decodes a cursor it made, for the same index', () => {
    expect(decodeCursor('timeline', encodeCursor('timeline', key))).toEqual(key);
    expect(decodeCursor('timeline', undefined)).toBeUndefined();
  });

  it('refuses a cursor whose start key was changed, even with a well-formed payload', () => {
    const [, signature] = encodeCursor('timeline', key).split('.');
    const forged = Buffer.from(JSON.stringify({ i: 'timeline', k: { ...key, PK: 'CASE#other' } })).toString('base64url');

    expect(() => decodeCursor('timeline', `${forged}.${signature}`)).toThrow(ValidationError);
  });

  it('refuses an unsigned cursor, a cut signature, a flipped character and one made for another index', () => {
    const cursor = encodeCursor('timeline', key);
    const unsigned = cursor.split('.')[0] ?? '';
    const flipped = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;

    for (const bad of [unsigned, cursor.slice(0, -4), flipped, `${cursor}.x`, 'not a cursor']) {
      expect(() => decodeCursor('timeline', bad), bad).toThrow(ValidationError);
    }
    expect(() => decodeCursor('GSI1', cursor)).toThrow(ValidationError);
  });
});
