import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface IndexPageQuery {
  tableName: string;
  index: string;
  partition: string;
  sortKeyPrefix: string;
  newestFirst: boolean;
  /** Attribute equality filters applied to the index's pages. */
  filters: Record<string, string>;
  /**
   * Keeps only items where at least one named attribute has one of its listed values (who may see
   * an item: `{ queue: [...served], assigneeId: [me] }`); ANDed with `filters`.
   */
  anyOf?: Readonly<Record<string, readonly string[]>> | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * What a cursor of an index query is bound to: the index and the partition. A cursor of one list
 * (one customer's cases, one status) is refused by another, rather than handed to DynamoDB as a
 * start key outside the partition.
 */
export function indexCursorScope(index: string, partition: string): string {
  return `${index}|${partition}`;
}

/**
 * Pages evaluated per call when filters discard items: bounds the cost of a sparse filter. The list
 * then returns fewer items than asked, with a cursor to continue, which is still a correct page.
 */
const MAX_PAGES_PER_CALL = 5;

/**
 * One page of an index partition (a Query, never a Scan). Without filters it is one request; with
 * filters it reads on until the page is full, and when it stops inside a DynamoDB page the cursor
 * points at the last item returned so nothing is skipped or repeated.
 */
export async function queryPage(
  client: DynamoDBDocumentClient,
  query: IndexPageQuery,
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const pk = `${query.index}PK`;
  const sk = `${query.index}SK`;
  const filterNames = Object.keys(query.filters);
  const names: Record<string, string> = { '#pk': pk, '#sk': sk };
  const values: Record<string, unknown> = { ':pk': query.partition, ':prefix': query.sortKeyPrefix };
  filterNames.forEach((name, n) => {
    names[`#f${n}`] = name;
    values[`:f${n}`] = query.filters[name];
  });
  const anyOf = query.anyOf ? anyOfExpression(query.anyOf, names, values) : null;
  const filterExpression = [...filterNames.map((_, n) => `#f${n} = :f${n}`), ...(anyOf ? [anyOf] : [])].join(' AND ');

  const items: Record<string, unknown>[] = [];
  const scope = indexCursorScope(query.index, query.partition);
  let startKey = decodeCursor(scope, query.cursor);
  for (let pages = 0; pages < MAX_PAGES_PER_CALL; pages += 1) {
    const result = await client.send(
      new QueryCommand({
        TableName: query.tableName,
        IndexName: query.index,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        FilterExpression: filterExpression || undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: !query.newestFirst,
        Limit: query.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
    if (items.length >= query.limit) {
      const page = items.slice(0, query.limit);
      const last = page.at(-1) as Record<string, unknown>;
      const more = items.length > query.limit || startKey !== undefined;
      return {
        items: page,
        nextCursor: more ? encodeCursor(scope, { PK: last.PK, SK: last.SK, [pk]: last[pk], [sk]: last[sk] }) : null,
      };
    }
    if (!startKey) return { items, nextCursor: null };
  }
  return { items, nextCursor: startKey ? encodeCursor(scope, startKey) : null };
}

/**
 * `(#a0 IN (:a0v0, …) OR #a1 IN (…))` for `anyOf`, its names and values added to the given maps.
 * With no value at all it matches nothing, which is what an empty list of allowed values means.
 */
export function anyOfExpression(
  anyOf: Readonly<Record<string, readonly string[]>>,
  names: Record<string, string>,
  values: Record<string, unknown>,
): string {
  const terms = Object.entries(anyOf)
    .filter(([, allowed]) => allowed.length > 0)
    .map(([name, allowed], n) => {
      names[`#a${n}`] = name;
      allowed.forEach((value, v) => (values[`:a${n}v${v}`] = value));
      return `#a${n} IN (${allowed.map((_, v) => `:a${n}v${v}`).join(', ')})`;
    });
  if (terms.length === 0) return 'attribute_exists(#pk) AND attribute_not_exists(#pk)';
  return `(${terms.join(' OR ')})`;
}
