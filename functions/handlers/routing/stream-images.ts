import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/** A stream record's old and new images as plain items (null when absent). */
export function imagesOf(record: DynamoDBRecord): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : null);
  return { before: image(record.dynamodb?.OldImage), after: image(record.dynamodb?.NewImage) };
}
