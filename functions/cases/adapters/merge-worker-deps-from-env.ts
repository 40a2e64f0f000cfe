import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { systemClock } from '#platform/adapters/system';
import type { Clock } from '#platform/domain/clock';
import type { CaseMergeStore, MergeQueue } from '../domain/case-ports.js';
import { DynamoCaseStore } from './dynamodb/case-store.js';
import { SqsMergeQueue } from './sqs/sqs-merge-queue.js';

/** The merge worker's deps: the cases table's merge store, and its own queue to hand itself the next run. */
export function mergeWorkerDepsFromEnv(): { merge: CaseMergeStore; queue: MergeQueue; clock: Clock } {
  return {
    merge: new DynamoCaseStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    queue: new SqsMergeQueue(readEnv(ENV.mergeQueueUrl)),
    clock: systemClock,
  };
}
