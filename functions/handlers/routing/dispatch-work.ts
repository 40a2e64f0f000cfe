import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { routingDepsFromEnv } from '../../adapters/compose/routing-deps.js';
import { caseFromItem } from '../../adapters/dynamodb/items.js';
import { logger } from '../../adapters/logger.js';
import { dispatchCaseWork } from '../../domain/use-cases/dispatch-case-work.js';
import { imagesOf } from './stream-images.js';

const deps = routingDepsFromEnv();

/**
 * Cases table stream → work items. The event source filter passes only case items; each new
 * image is matched against its work item (`dispatchCaseWork`). Records of one case come in order;
 * on a failure the rest of the batch waits, so a later state never overtakes an earlier one.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const { after } = imagesOf(record);
    if (!after || after.entity !== 'case') continue;
    const c = caseFromItem(after);
    try {
      const outcome = await dispatchCaseWork(deps, { case: c });
      if (outcome !== 'unchanged') logger.info('case work', { caseId: c.id, version: c.version, status: c.status, outcome });
    } catch (error) {
      logger.error('case work failed', { caseId: c.id, version: c.version, error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
