import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxDepsFromEnv } from '../adapters/outbox-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { sendOutboundEmail } from '../use-cases/send-outbound-email.js';

const deps = outboxDepsFromEnv();

/**
 * Cases table stream → outbox sender. The event source mapping's filter passes only message items
 * whose delivery is `queued`; the check here repeats it so a wider filter cannot send twice.
 * A failing record is reported by its sequence number, and the stream retries from there.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (image?.entity?.S !== 'message' || image.delivery?.M?.status?.S !== 'queued') continue;
    const caseId = image.caseId?.S ?? '';
    const messageItemId = image.id?.S ?? '';
    try {
      const outcome = await sendOutboundEmail(deps, { caseId, messageItemId });
      logger.info('outbound email', { caseId, messageItemId, outcome });
    } catch (error) {
      logger.error('outbound email failed', { caseId, messageItemId, error: error as Error });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures: failures };
}
