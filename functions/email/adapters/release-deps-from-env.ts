import type { ReleaseDeps } from '../use-cases/release-quarantine.js';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { DynamoQuarantineReleaseStore } from './dynamodb/quarantine-release-store.js';
import { s3Client } from './s3/s3-mail-object-store.js';
import { S3QuarantineObjects } from './s3/s3-quarantine-objects.js';

/** The quarantine release's adapters: the cases table's message items and the mail bucket. */
export function releaseDepsFromEnv(): ReleaseDeps {
  return {
    messages: new DynamoQuarantineReleaseStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    objects: new S3QuarantineObjects(s3Client, readEnv(ENV.mailBucket)),
  };
}
