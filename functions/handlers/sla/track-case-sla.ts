import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { slaDepsFromEnv } from '../../adapters/compose/sla-deps.js';
import { caseFromItem } from '../../adapters/dynamodb/items.js';
import { logger } from '../../adapters/logger.js';
import { trackCaseSla } from '../../domain/use-cases/track-case-sla.js';
import { imagesOf } from '../routing/stream-images.js';

const deps = slaDepsFromEnv();

/**
 * Cases table stream → SLA records. The event source filter passes only case items; each new image
 * moves the case's clocks (`trackCaseSla`). Records of one case come in order; on a failure the
 * rest of the batch waits, so a later state never overtakes an earlier one.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const { after } = imagesOf(record);
    if (!after || after.entity !== 'case') continue;
    const c = caseFromItem(after);
    try {
      const outcome = await trackCaseSla(deps, { case: c });
      if (outcome !== 'unchanged') logger.info('sla tracked', { caseId: c.id, version: c.version, status: c.status, outcome });
    } catch (error) {
      logger.error('sla tracking failed', { caseId: c.id, version: c.version, error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
