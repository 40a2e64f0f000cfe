import { DEFAULT_CASE_SETTINGS } from '#cases';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { requireEnv } from '#platform/adapters/env';
import { systemClock } from '#platform/adapters/system';
import type { AgentDeps } from '../use-cases/deps.js';
import { DynamoAgentStore } from './dynamodb/agent-store.js';

/** The staff API: the agent-state table. */
export function agentDepsFromEnv(): AgentDeps {
  return {
    agents: new DynamoAgentStore(dynamoDocumentClient, requireEnv('AGENT_STATE_TABLE_NAME')),
    clock: systemClock,
    settings: DEFAULT_CASE_SETTINGS,
  };
}
