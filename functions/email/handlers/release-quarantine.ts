import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { releaseDepsFromEnv } from '../adapters/release-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { isRelease } from '../domain/quarantine.js';
import { releaseQuarantinedAttachments } from '../use-cases/release-quarantine.js';

const deps = releaseDepsFromEnv();

/**
 * Cases table stream → release of a case's quarantined attachments. The event source mapping's
 * filter passes only case items whose status changed from `quarantined` to `new` (the release; a
 * closed quarantined case stays held); the check here repeats it so a wider filter cannot release
 * one. A failing record is reported by its sequence number and the records after it are left for
 * the retry: the stream starts again from there, and each release is idempotent.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const before = record.dynamodb?.OldImage;
    const after = record.dynamodb?.NewImage;
    if (after?.entity?.S !== 'case' || !isRelease(before?.status?.S, after.status?.S)) continue;
    const caseId = after.id?.S ?? '';
    try {
      const outcome = await releaseQuarantinedAttachments(deps, { caseId });
      logger.info('quarantine released', { caseId, ...outcome });
    } catch (error) {
      logger.error('quarantine release failed', { caseId, error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
