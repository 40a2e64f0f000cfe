import type { S3Event, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { emailDepsFromEnv } from '../adapters/email-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { receiveEmail } from '../use-cases/receive-email.js';

const deps = emailDepsFromEnv();

/** S3 sends one of these when a notification is first configured; it names no object. */
interface S3TestEvent {
  Event: 's3:TestEvent';
}

/** SES writes this object once, when a receipt rule first stores to the bucket: it is no mail. */
const SES_SETUP_NOTIFICATION = /(^|\/)AMAZON_SES_SETUP_NOTIFICATION$/;

/** Object keys arrive URL-encoded in S3 events, with spaces as `+`. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * SQS → email intake. Each SQS message carries an S3 event for raw mail that SES stored; each mail
 * is recorded by `receiveEmail`. A failing message is reported alone (partial batch response), so
 * SQS redelivers just that one and, after its retries, moves it to the dead-letter queue.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const notification = JSON.parse(record.body) as S3Event | S3TestEvent;
      if ('Event' in notification) continue;
      for (const s3 of notification.Records ?? []) {
        const rawKey = decodeKey(s3.s3.object.key);
        if (SES_SETUP_NOTIFICATION.test(rawKey)) continue;
        const result = await receiveEmail(deps, { rawKey });
        logger.info('email recorded', { rawKey, ...result });
        if (result.outcome === 'dropped') logger.warn('automated email dropped', { rawKey, ...result });
        if (result.outcome === 'new_case' && result.acknowledgementWithheld) {
          logger.warn('acknowledgement withheld', { rawKey, caseId: result.caseId, reason: result.acknowledgementWithheld });
        }
      }
    } catch (error) {
      logger.error('email intake failed; SQS will redeliver it', { messageId: record.messageId, error: error as Error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
