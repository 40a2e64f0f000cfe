import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { slaDepsFromEnv } from '../adapters/sla-deps-from-env.js';
import { caseImages } from '../adapters/dynamodb/case-images.js';
import { logger } from '#platform/adapters/logger';
import { trackCaseSla } from '../use-cases/track-case-sla.js';
import { inStreamOrder } from '#platform/adapters/dynamodb/stream-records';

const deps = slaDepsFromEnv();

/**
 * Cases table stream → SLA records. The event source filter passes only case items; each new image
 * moves the case's clocks (`trackCaseSla`), in stream order.
 */
export function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return inStreamOrder(event, { entity: caseImages.tag, failure: 'sla tracking failed' }, async ({ after }) => {
    const c = caseImages.fromImage(after);
    const outcome = await trackCaseSla(deps, { case: c });
    if (outcome !== 'unchanged') logger.info('sla tracked', { caseId: c.id, version: c.version, status: c.status, outcome });
  });
}
