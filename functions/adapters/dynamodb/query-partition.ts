import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Every item of a partition (optionally only sort keys with a prefix), in sort-key order, reading
 * page after page: for partitions that are read whole, such as a case with its messages.
 */
export async function queryPartition(
  client: DynamoDBDocumentClient,
  query: { tableName: string; pk: string; skPrefix?: string },
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await client.send(
      new QueryCommand({
        TableName: query.tableName,
        KeyConditionExpression: query.skPrefix === undefined ? 'PK = :pk' : 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': query.pk, ...(query.skPrefix === undefined ? {} : { ':prefix': query.skPrefix }) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return items;
}
