import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '#platform/adapters/logger';
import { mergeWorkerDepsFromEnv } from '../adapters/merge-worker-deps-from-env.js';
import { runMerge } from '../use-cases/run-merge.js';

const deps = mergeWorkerDepsFromEnv();

/**
 * Pages one invocation moves of a job before it hands the job back to the queue: a share of the
 * function's timeout, so a huge case never runs into it, and other jobs get their turn.
 */
export const MERGE_PAGES_PER_RUN = 20;

/**
 * Merge queue → the merge worker. Each message names a job; the job's progress is in the cases
 * table, so a message delivered twice or after a crash resumes where the job stopped. A job not
 * finished in this run is sent back to the queue (after a delay while it waits for the outbox). A
 * failure is retried by SQS, then dead-lettered; the job resumes when redriven or asked for again.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const mergeId = mergeIdOf(record.body);
    if (!mergeId) {
      logger.error('merge message dropped: not a merge message', { messageId: record.messageId });
      continue;
    }
    try {
      const outcome = await runMerge(deps, mergeId, { maxPages: MERGE_PAGES_PER_RUN });
      if (outcome.status === 'again') await deps.queue.enqueue(mergeId, outcome.delaySeconds);
      logger.info('merge run', { mergeId, outcome: outcome.status });
    } catch (error) {
      logger.error('merge run failed', { messageId: record.messageId, mergeId, error: error as Error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}

function mergeIdOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { mergeId?: unknown };
    return typeof parsed.mergeId === 'string' && parsed.mergeId.length > 0 && parsed.mergeId.length <= 64 ? parsed.mergeId : null;
  } catch {
    return null;
  }
}
