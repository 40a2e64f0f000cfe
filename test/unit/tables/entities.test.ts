import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type EntityDesign,
  fill,
  type IndexName,
  type KeyTemplate,
  literalPrefix,
  SHARED_READS,
  TABLE_ENTITIES,
  type TableName,
} from '#tables/entities';

/**
 * The registry of both tables' entities: tags unique, every definition in a feature registered and
 * registered once, and no query of one entity able to read another's items unless the registry
 * says so (SHARED_READS). Placeholders stand for non-empty text that may hold any character.
 */

const hasPlaceholder = (template: string) => template.includes('{');

/** Whether some filling of each template can give the same text (conservative: "maybe" counts as yes). */
function partitionsMeet(a: string, b: string): boolean {
  if (!hasPlaceholder(a) && !hasPlaceholder(b)) return a === b;
  if (!hasPlaceholder(a)) return a.startsWith(literalPrefix(b)) && a.length > literalPrefix(b).length;
  if (!hasPlaceholder(b)) return partitionsMeet(b, a);
  const [pa, pb] = [literalPrefix(a), literalPrefix(b)];
  return pa.startsWith(pb) || pb.startsWith(pa);
}

/**
 * Whether the way `reader`'s items are read on a sort key can return an item of format `other`:
 * a constant sort key is read by equality, one with placeholders by `begins_with` of its literal start.
 */
function sortReadReaches(reader: string, other: string): boolean {
  if (!hasPlaceholder(reader)) return partitionsMeet(reader, other);
  const prefix = literalPrefix(reader);
  if (!hasPlaceholder(other)) return other.startsWith(prefix);
  const po = literalPrefix(other);
  return po.startsWith(prefix) || prefix.startsWith(po);
}

const reaches = (reader: KeyTemplate, other: KeyTemplate) => partitionsMeet(reader.pk, other.pk) && sortReadReaches(reader.sk, other.sk);

type KeyName = 'table' | IndexName;

function formatsOn(entity: EntityDesign, key: KeyName): readonly KeyTemplate[] {
  return key === 'table' ? [entity.key] : (entity.indexes?.[key] ?? []);
}

/** Every pair of entities of a table (in either order) whose reads on one key can return the other's items. */
function overlaps(table: TableName): { index: KeyName; entities: [string, string] }[] {
  const entities = Object.values(TABLE_ENTITIES[table]) as EntityDesign[];
  const found: { index: KeyName; entities: [string, string] }[] = [];
  for (const index of ['table', 'GSI1', 'GSI2', 'GSI3', 'GSI4', 'GSI5'] as const) {
    for (const reader of entities) {
      for (const other of entities) {
        if (reader === other) continue;
        const hit = formatsOn(reader, index).some((r) => formatsOn(other, index).some((o) => reaches(r, o)));
        if (hit) found.push({ index, entities: [reader.tag, other.tag].sort() as [string, string] });
      }
    }
  }
  return [...new Map(found.map((o) => [`${o.index}|${o.entities.join('|')}`, o])).values()];
}

describe('the overlap check itself', () => {
  it('sees prefixes that run into each other and not those that part', () => {
    expect(partitionsMeet('CASE#{id}', 'CASE_CALLBACKS#{caseId}')).toBe(false);
    expect(partitionsMeet('CASE{id}', 'CASE_CALLBACKS#{caseId}')).toBe(true);
    expect(partitionsMeet('SLA_CONFIG', 'SLA_CONFIG#POLICY#{name}')).toBe(false);
    expect(partitionsMeet('CALLBACKS', 'CALLBACKS#{status}')).toBe(false);
    expect(partitionsMeet('COUNTER#case', 'COUNTER#{name}')).toBe(true);
    expect(sortReadReaches('CASE', 'CASE#MSG#{id}')).toBe(false);
    expect(sortReadReaches('CASE#{id}', 'CASE#MSG#{id}')).toBe(true);
    expect(sortReadReaches('CASE#{id}', 'PROFILE')).toBe(false);
    expect(sortReadReaches('AGENT#{id}', 'AGENT#{agentId}#STATE')).toBe(true);
    expect(sortReadReaches('{rank}#{at}#{id}', 'ANYTHING')).toBe(true);
  });
});

describe('the entity registry', () => {
  const all = Object.entries(TABLE_ENTITIES).flatMap(([table, entities]) =>
    Object.entries(entities).map(([name, entity]) => ({ table, name, entity: entity as EntityDesign })),
  );

  it('names each entity by its tag, and no tag twice across both tables', () => {
    for (const { name, entity } of all) expect(entity.tag).toBe(name);
    const tags = all.map(({ entity }) => entity.tag);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('has no placeholder that runs into the next one or into the end of a literal prefix without a separator', () => {
    for (const { entity } of all) {
      for (const template of [entity.key, ...Object.values(entity.indexes ?? {}).flat()] as KeyTemplate[]) {
        for (const part of [template.pk, template.sk]) {
          expect(part, `${entity.tag}: ${part}`).not.toMatch(/\}\{/);
          expect(part, `${entity.tag}: ${part}`).not.toMatch(/[^#]\{/);
        }
      }
    }
  });

  for (const table of Object.keys(TABLE_ENTITIES) as TableName[]) {
    it(`lets no query of one ${table} entity read another's items, but for the shared reads it declares`, () => {
      const declared = SHARED_READS.filter((shared) => shared.table === table).map((shared) => ({
        index: shared.index,
        entities: [...shared.entities].sort(),
      }));
      expect(overlaps(table)).toEqual(declared);
    });
  }

  it('fills templates, numbers included', () => {
    expect(fill('CASENUMBER#{sequence}', { sequence: 42 })).toBe('CASENUMBER#42');
    expect(fill('IDENTITY#{type}#{value}', { type: 'email', value: 'a@b.pl' })).toBe('IDENTITY#email#a@b.pl');
  });
});

describe('the entity definitions of the features', () => {
  const root = join(import.meta.dirname, '../../../functions');
  const files = readdirSync(root).flatMap((feature) => {
    try {
      return readdirSync(join(root, feature, 'adapters', 'dynamodb'))
        .filter((file) => file.endsWith('-item.ts'))
        .map((file) => ({ feature, path: join(root, feature, 'adapters', 'dynamodb', file) }));
    } catch {
      return [];
    }
  });

  it('define each registered entity exactly once, in the feature the registry names, with the registered tag', async () => {
    const definedBy = new Map<string, string[]>();
    for (const { feature, path } of files) {
      const module = (await import(path)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (!name.endsWith('Entity') || typeof value !== 'object' || value === null || !('tag' in value)) continue;
        const tag = String(value.tag);
        definedBy.set(tag, [...(definedBy.get(tag) ?? []), feature]);
      }
    }
    const registered = Object.values(TABLE_ENTITIES).flatMap((entities) =>
      Object.values(entities).map((entity) => [entity.tag, (entity as EntityDesign).owner] as const),
    );
    expect([...definedBy.keys()].filter((tag) => !registered.some(([registeredTag]) => registeredTag === tag))).toEqual([]);
    for (const [tag, owner] of registered) expect(definedBy.get(tag), tag).toEqual([owner]);
  });
});
