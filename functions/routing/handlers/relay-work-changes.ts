import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { relayDepsFromEnv } from '../adapters/routing-deps-from-env.js';
import { workEntity } from '../adapters/dynamodb/work-item.js';
import { logger } from '#platform/adapters/logger';
import { relayWorkChange } from '../use-cases/relay-work-change.js';
import { inStreamOrder } from '#platform/adapters/dynamodb/stream-records';

const deps = relayDepsFromEnv();

/**
 * Agent-state table stream (work items only, by the event source filter) → routing messages and
 * work events, in stream order.
 */
export function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return inStreamOrder(event, { entity: workEntity.tag, failure: 'work relay failed' }, async ({ before, after }) => {
    const work = workEntity.fromItem(after);
    const sent = await relayWorkChange(deps, { before: before ? workEntity.fromItem(before) : null, after: work });
    if (sent.length > 0) logger.info('work events', { workId: work.id, status: work.status, events: sent });
  });
}
