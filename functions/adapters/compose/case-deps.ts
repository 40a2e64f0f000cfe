import { DEFAULT_CASE_SETTINGS } from '../../domain/settings.js';
import type { CaseEndings, CaseMergeStore } from '../../domain/ports.js';
import { cancelCallbacksOfCase } from '../../domain/use-cases/cancel-callbacks-of-case.js';
import type { AgentDeps, CaseDeps } from '../../domain/use-cases/deps.js';
import { DynamoCallbackStore } from '../dynamodb/callback-store.js';
import { DynamoAgentStore } from '../dynamodb/agent-store.js';
import { DynamoCaseStore } from '../dynamodb/case-store.js';
import { dynamoDocumentClient } from '../dynamodb/client.js';
import { DynamoCustomerStore } from '../dynamodb/customer-store.js';
import { requireEnv } from '../env.js';
import { cryptoSecrets, jitteredBackoff, systemClock, ulidGenerator } from '../system.js';

/**
 * Wiring of the real adapters, one module per kind of deps so each function bundles only the
 * adapters it uses. Each reads the environment variables that the function construct set together
 * with the grant, once, at cold start.
 */
export function caseDepsFromEnv(): CaseDeps {
  const tableName = requireEnv('CASES_TABLE_NAME');
  return {
    cases: new DynamoCaseStore(dynamoDocumentClient, tableName),
    customers: new DynamoCustomerStore(dynamoDocumentClient, tableName),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: DEFAULT_CASE_SETTINGS,
    backoff: jitteredBackoff,
  };
}

/** Changing a case may resolve or close it, which ends its open callbacks in the same transaction. */
export function caseChangeDepsFromEnv(): CaseDeps & { endings: CaseEndings } {
  return {
    ...caseDepsFromEnv(),
    endings: cancelCallbacksOfCase({ callbacks: new DynamoCallbackStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')), ids: ulidGenerator }),
  };
}

/** Merging needs the cases table's store of merges beside the deps of a case change (the source closes). */
export function mergeDepsFromEnv(): CaseDeps & { merge: CaseMergeStore; endings: CaseEndings } {
  return { ...caseChangeDepsFromEnv(), merge: new DynamoCaseStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')) };
}

export function agentDepsFromEnv(): AgentDeps {
  return {
    agents: new DynamoAgentStore(dynamoDocumentClient, requireEnv('AGENT_STATE_TABLE_NAME')),
    clock: systemClock,
    settings: DEFAULT_CASE_SETTINGS,
  };
}
