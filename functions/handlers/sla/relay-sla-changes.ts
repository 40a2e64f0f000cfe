import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { slaRelayDepsFromEnv } from '../../adapters/compose/sla-deps.js';
import { slaFromItem } from '../../adapters/dynamodb/sla-store.js';
import { logger } from '../../adapters/logger.js';
import { relaySlaChange } from '../../domain/use-cases/relay-sla-change.js';
import { imagesOf } from '../routing/stream-images.js';

const deps = slaRelayDepsFromEnv();

/**
 * Cases table stream → SLA timers and events. The filter passes only SLA records; each change
 * starts the timers of clocks in a new generation, stops the old ones, and publishes `sla.*`
 * events (`relaySlaChange`). In order per case; a failure holds back the rest of the batch.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const { before, after } = imagesOf(record);
    if (!after || after.entity !== 'sla') continue;
    const next = slaFromItem(after);
    try {
      const relayed = await relaySlaChange(deps, { before: before?.entity === 'sla' ? slaFromItem(before) : null, after: next });
      if (relayed.started + relayed.stopped + relayed.events > 0) logger.info('sla relayed', { caseId: next.caseId, version: next.version, ...relayed });
    } catch (error) {
      logger.error('sla relay failed', { caseId: next.caseId, version: next.version, error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
