import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** Every item a query matches, reading page after page (for partitions that are read whole). */
export async function queryAllPages(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Every item of a partition (optionally only sort keys with a prefix), in sort-key order, read
 * consistently: for partitions that are read whole, such as a case with its messages.
 */
export function queryPartition(
  client: DynamoDBDocumentClient,
  query: { tableName: string; pk: string; skPrefix?: string },
): Promise<Record<string, unknown>[]> {
  return queryAllPages(client, {
    TableName: query.tableName,
    KeyConditionExpression: query.skPrefix === undefined ? 'PK = :pk' : 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': query.pk, ...(query.skPrefix === undefined ? {} : { ':prefix': query.skPrefix }) },
    ConsistentRead: true,
  });
}
