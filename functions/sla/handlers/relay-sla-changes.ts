import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { slaRelayDepsFromEnv } from '../adapters/sla-deps-from-env.js';
import { slaEntity } from '../adapters/dynamodb/sla-item.js';
import { logger } from '#platform/adapters/logger';
import { relaySlaChange } from '../use-cases/relay-sla-change.js';
import { inStreamOrder } from '#platform/adapters/dynamodb/stream-records';

const deps = slaRelayDepsFromEnv();

/**
 * Cases table stream → SLA timers and events. The filter passes only SLA records; each change
 * starts the timers of clocks in a new generation, stops the old ones, and publishes `sla.*`
 * events (`relaySlaChange`), in stream order.
 */
export function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return inStreamOrder(event, { entity: slaEntity.tag, failure: 'sla relay failed' }, async ({ before, after }) => {
    const next = slaEntity.fromItem(after);
    const relayed = await relaySlaChange(deps, { before: before ? slaEntity.fromItem(before) : null, after: next });
    if (relayed.started + relayed.stopped + relayed.events > 0)
      logger.info('sla relayed', { caseId: next.caseId, version: next.version, ...relayed });
  });
}
