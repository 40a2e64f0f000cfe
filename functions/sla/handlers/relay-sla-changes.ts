import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { slaRelayDepsFromEnv } from '../adapters/sla-deps-from-env.js';
import { slaFromItem } from '../adapters/dynamodb/sla-store.js';
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
  return inStreamOrder(event, { entity: 'sla', failure: 'sla relay failed' }, async ({ before, after }) => {
    const next = slaFromItem(after);
    const relayed = await relaySlaChange(deps, { before: before ? slaFromItem(before) : null, after: next });
    if (relayed.started + relayed.stopped + relayed.events > 0)
      logger.info('sla relayed', { caseId: next.caseId, version: next.version, ...relayed });
  });
}
