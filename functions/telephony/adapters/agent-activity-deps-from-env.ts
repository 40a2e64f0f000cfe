import { DynamoRoutingStore, routingSettingsFromEnv } from '#routing/adapters';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import type { AgentActivityDeps } from '../use-cases/record-agent-activity.js';

/** Connect's agent events → agents' load and presence: the agent-state table, through routing's store. */
export function agentActivityDepsFromEnv(): { store: DynamoRoutingStore; deps: AgentActivityDeps } {
  const store = new DynamoRoutingStore(dynamoDocumentClient, readEnv(ENV.agentStateTable));
  return { store, deps: { routing: store, contacts: store, settings: routingSettingsFromEnv() } };
}
