import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CloudModel, TableDefinition } from './cloud-template.js';

/** Creates the tables the template defines, when they do not exist yet (state persists across restarts). */
export async function provisionTables(dynamodb: DynamoDBClient, model: CloudModel): Promise<void> {
  const existing = new Set((await dynamodb.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const table of model.tables) {
    if (!existing.has(table.localName)) await createTable(dynamodb, table);
    if (table.ttlAttribute) await enableTtl(dynamodb, table.localName, table.ttlAttribute);
  }
}

async function createTable(dynamodb: DynamoDBClient, table: TableDefinition): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table.localName,
      KeySchema: table.keySchema,
      AttributeDefinitions: table.attributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      ...(table.globalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes } : {}),
      ...(table.streamViewType
        ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType as 'NEW_AND_OLD_IMAGES' } }
        : {}),
    }),
  );
}

async function enableTtl(dynamodb: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const current = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (current.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return;
  await dynamodb.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }),
  );
}

/** Creates the template's buckets in the S3 stand-in. */
export async function provisionBuckets(s3: S3Client, model: CloudModel): Promise<void> {
  for (const bucket of model.buckets) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket.localName }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
  }
}
