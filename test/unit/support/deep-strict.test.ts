import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { deepStrict } from '../../support/deep-strict.js';

const item = z.object({ name: z.string() });

describe('deepStrict', () => {
  it('refuses an unexpected key at the top and accepts what the schema accepts', () => {
    const strict = deepStrict(item);

    expect(strict.parse({ name: 'a' })).toEqual({ name: 'a' });
    expect(strict.safeParse({ name: 'a', extra: 1 }).success).toBe(false);
    // The schema itself is left as it was: it still strips.
    expect(item.parse({ name: 'a', extra: 1 })).toEqual({ name: 'a' });
  });

  it.each([
    ['an object', z.object({ inner: item }), { inner: { name: 'a', extra: 1 } }],
    ['an array', z.object({ items: z.array(item) }), { items: [{ name: 'a' }, { name: 'b', extra: 1 }] }],
    ['an optional', z.object({ inner: item.optional() }), { inner: { name: 'a', extra: 1 } }],
    ['a nullable', z.object({ inner: item.nullable() }), { inner: { name: 'a', extra: 1 } }],
    ['a default', z.object({ inner: item.default({ name: 'x' }) }), { inner: { name: 'a', extra: 1 } }],
    ['a union', z.object({ inner: z.union([z.string(), item]) }), { inner: { name: 'a', extra: 1 } }],
    ['a record', z.record(z.string(), item), { one: { name: 'a' }, two: { name: 'b', extra: 1 } }],
    ['an extended object', item.extend({ more: z.array(item.nullable()) }), { name: 'a', more: [null, { name: 'b', extra: 1 }] }],
    ['a readonly', z.object({ inner: item.readonly() }), { inner: { name: 'a', extra: 1 } }],
  ])('refuses an unexpected key inside %s', (_kind, schema: z.ZodType, value) => {
    expect(schema.safeParse(value).success).toBe(true);
    expect(deepStrict(schema).safeParse(value).success).toBe(false);
  });

  it('keeps what the strict schema accepts inside wrappers: nulls, absent optionals, union alternatives', () => {
    const schema = deepStrict(z.object({ a: item.nullable(), b: item.optional(), c: z.union([z.string(), item]) }));

    expect(schema.parse({ a: null, c: 'text' })).toEqual({ a: null, c: 'text' });
    expect(schema.parse({ a: { name: 'x' }, b: { name: 'y' }, c: { name: 'z' } })).toEqual({
      a: { name: 'x' },
      b: { name: 'y' },
      c: { name: 'z' },
    });
  });

  it('keeps checks and refinements of the schemas it rebuilds', () => {
    const schema = deepStrict(
      z.object({
        tags: z.array(z.string()).max(1),
        range: z.object({ from: z.number(), to: z.number() }).refine((range) => range.from <= range.to, 'from after to'),
      }),
    );

    expect(schema.safeParse({ tags: ['a', 'b'], range: { from: 1, to: 2 } }).success).toBe(false);
    expect(schema.safeParse({ tags: ['a'], range: { from: 3, to: 2 } }).success).toBe(false);
    expect(schema.safeParse({ tags: ['a'], range: { from: 1, to: 2 } }).success).toBe(true);
  });
});
