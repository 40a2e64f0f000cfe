import { DynamoCallbackStore } from '#telephony/adapters';
import { cancelCallbacksOfCase } from '#telephony';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { ulidGenerator } from '#platform/adapters/system';
import type { CaseEndings, CaseMergeStore, MergeQueue } from '../domain/case-ports.js';
import { SqsMergeQueue } from './sqs/sqs-merge-queue.js';
import type { CaseDeps } from '../use-cases/deps.js';
import { caseDepsFromEnv } from './case-deps-from-env.js';
import { DynamoCaseStore } from './dynamodb/case-store.js';

/**
 * Changing a case may resolve or close it, which ends its open callbacks in the same transaction.
 * This is the one place the cases feature meets telephony: a composition root, which the rest of
 * the feature does not import, so telephony's dependency on cases stays one way for everything else.
 */
export function caseChangeDepsFromEnv(): CaseDeps & { endings: CaseEndings } {
  return {
    ...caseDepsFromEnv(),
    endings: cancelCallbacksOfCase({
      callbacks: new DynamoCallbackStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
      ids: ulidGenerator,
    }),
  };
}

/** Merging needs the cases table's store of merges and the merge queue beside the deps of a case change (the source closes). */
export function mergeDepsFromEnv(): CaseDeps & { merge: CaseMergeStore; queue: MergeQueue; endings: CaseEndings } {
  return {
    ...caseChangeDepsFromEnv(),
    merge: new DynamoCaseStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    queue: new SqsMergeQueue(readEnv(ENV.mergeQueueUrl)),
  };
}
