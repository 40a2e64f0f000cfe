import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { routingDepsFromEnv } from '../../adapters/compose/routing-deps.js';
import { caseFromItem } from '../../adapters/dynamodb/items.js';
import { logger } from '../../adapters/logger.js';
import { dispatchCaseWork } from '../../domain/use-cases/dispatch-case-work.js';
import { inStreamOrder } from '../../adapters/dynamodb/stream-records.js';

const deps = routingDepsFromEnv();

/**
 * Cases table stream → work items. The event source filter passes only case items; each new
 * image is matched against its work item (`dispatchCaseWork`), in stream order.
 */
export function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return inStreamOrder(event, { entity: 'case', failure: 'case work failed' }, async ({ after }) => {
    const c = caseFromItem(after);
    const outcome = await dispatchCaseWork(deps, { case: c });
    if (outcome !== 'unchanged') logger.info('case work', { caseId: c.id, version: c.version, status: c.status, outcome });
  });
}
