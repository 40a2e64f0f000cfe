import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { routingDepsFromEnv } from '../adapters/routing-deps-from-env.js';
import { caseImages } from '../adapters/dynamodb/case-images.js';
import { logger } from '#platform/adapters/logger';
import { dispatchCaseWork } from '../use-cases/dispatch-case-work.js';
import { inStreamOrder } from '#platform/adapters/dynamodb/stream-records';

const deps = routingDepsFromEnv();

/**
 * Cases table stream → work items. The event source filter passes only case items; each new
 * image is matched against its work item (`dispatchCaseWork`), in stream order.
 */
export function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return inStreamOrder(event, { entity: caseImages.tag, failure: 'case work failed' }, async ({ after }) => {
    const c = caseImages.fromImage(after);
    const outcome = await dispatchCaseWork(deps, { case: c });
    if (outcome !== 'unchanged') logger.info('case work', { caseId: c.id, version: c.version, status: c.status, outcome });
  });
}
