import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv, readOptionalEnv } from '#platform/adapters/env-variables';
import type { CaseAccessDeps } from '../use-cases/case-access.js';
import { DynamoStaffQueues } from './dynamodb/staff-queues.js';

/**
 * Who sees which case, for every API function that serves cases: the deployment's setting
 * (`queues` unless it says `all`) and the staff profiles in the agent-state table.
 */
export function caseAccessDepsFromEnv(): CaseAccessDeps {
  return {
    caseAccess: readOptionalEnv(ENV.agentCaseAccess, 'queues'),
    staff: new DynamoStaffQueues(dynamoDocumentClient, readEnv(ENV.agentStateTable)),
  };
}
