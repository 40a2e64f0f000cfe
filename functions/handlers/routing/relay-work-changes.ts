import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { relayDepsFromEnv } from '../../adapters/compose/routing-deps.js';
import { workItemFromItem } from '../../adapters/dynamodb/items.js';
import { logger } from '../../adapters/logger.js';
import { relayWorkChange } from '../../domain/use-cases/relay-work-change.js';
import { imagesOf } from './stream-images.js';

const deps = relayDepsFromEnv();

/**
 * Agent-state table stream (work items only, by the event source filter) → routing messages and
 * work events. On a failure the rest of the batch waits and the stream retries from that record.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const { before, after } = imagesOf(record);
    if (!after || after.entity !== 'work') continue;
    const work = workItemFromItem(after);
    try {
      const sent = await relayWorkChange(deps, { before: before ? workItemFromItem(before) : null, after: work });
      if (sent.length > 0) logger.info('work events', { workId: work.id, status: work.status, events: sent });
    } catch (error) {
      logger.error('work relay failed', { workId: work.id, error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
