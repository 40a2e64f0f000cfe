import { DynamoRoutingStore, routingSettingsFromEnv } from '#routing/adapters';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { requireEnv } from '#platform/adapters/env';
import type { AgentActivityDeps } from '../use-cases/record-agent-activity.js';

/** Connect's agent events → agents' load and presence: the agent-state table, through routing's store. */
export function agentActivityDepsFromEnv(): { store: DynamoRoutingStore; deps: AgentActivityDeps } {
  const store = new DynamoRoutingStore(dynamoDocumentClient, requireEnv('AGENT_STATE_TABLE_NAME'));
  return { store, deps: { routing: store, contacts: store, settings: routingSettingsFromEnv() } };
}
