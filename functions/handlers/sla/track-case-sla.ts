import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { slaDepsFromEnv } from '../../adapters/compose/sla-deps.js';
import { caseFromItem } from '../../adapters/dynamodb/items.js';
import { logger } from '../../adapters/logger.js';
import { trackCaseSla } from '../../domain/use-cases/track-case-sla.js';
import { inStreamOrder } from '../../adapters/dynamodb/stream-records.js';

const deps = slaDepsFromEnv();

/**
 * Cases table stream → SLA records. The event source filter passes only case items; each new image
 * moves the case's clocks (`trackCaseSla`), in stream order.
 */
export function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return inStreamOrder(event, { entity: 'case', failure: 'sla tracking failed' }, async ({ after }) => {
    const c = caseFromItem(after);
    const outcome = await trackCaseSla(deps, { case: c });
    if (outcome !== 'unchanged') logger.info('sla tracked', { caseId: c.id, version: c.version, status: c.status, outcome });
  });
}
