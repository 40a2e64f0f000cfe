import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../logger.js';

type Item = Record<string, unknown>;

/** A stream record's old and new images as plain items (null when absent). */
export function imagesOf(record: DynamoDBRecord): { before: Item | null; after: Item | null } {
  const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : null);
  return { before: image(record.dynamodb?.OldImage), after: image(record.dynamodb?.NewImage) };
}

/**
 * A table stream batch handled one record at a time, in stream order, for the records whose new
 * image is an `entity` item (the event source filter passes only those; this is the backstop). On
 * the first failure the record is reported and the rest of the batch waits: the stream retries from
 * it, so a later state of an item never overtakes an earlier one.
 */
export async function inStreamOrder(
  event: DynamoDBStreamEvent,
  options: { entity: string; failure: string },
  handle: (images: { before: Item | null; after: Item }) => Promise<void>,
): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const { before, after } = imagesOf(record);
    if (!after || after.entity !== options.entity) continue;
    try {
      await handle({ before: before?.entity === options.entity ? before : null, after });
    } catch (error) {
      logger.error(options.failure, { id: after.id ?? after.caseId, version: after.version, error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
