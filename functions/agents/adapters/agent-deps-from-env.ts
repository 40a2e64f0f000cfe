import { caseSettingsFromEnv } from '#cases/adapters';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { systemClock } from '#platform/adapters/system';
import type { AgentDeps } from '../use-cases/deps.js';
import { DynamoAgentStore } from './dynamodb/agent-store.js';

/** The staff API: the agent-state table. */
export function agentDepsFromEnv(): AgentDeps {
  return {
    agents: new DynamoAgentStore(dynamoDocumentClient, readEnv(ENV.agentStateTable)),
    clock: systemClock,
    settings: caseSettingsFromEnv(),
  };
}
