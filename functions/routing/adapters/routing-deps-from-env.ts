import type { AssignmentDeps, RoutingDeps } from '../use-cases/deps.js';
import { DynamoAcceptanceStore } from './dynamodb/acceptance-store.js';
import { DynamoCaseStore } from '#cases/adapters';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoRoutingStore } from './dynamodb/routing-store.js';
import { requireEnv } from '#platform/adapters/env';
import { EventBridgeWorkEvents } from './eventbridge/work-event-publisher.js';
import { SqsRoutingMessages } from './sqs/sqs-routing-messages.js';
import { routingSettingsFromEnv } from './routing-settings-from-env.js';
import { jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';

/** Routing's adapters: the agent-state table and the routing queues. */
export function routingDepsFromEnv(): RoutingDeps {
  return {
    routing: new DynamoRoutingStore(dynamoDocumentClient, requireEnv('AGENT_STATE_TABLE_NAME')),
    messages: new SqsRoutingMessages(),
    clock: systemClock,
    ids: ulidGenerator,
    settings: routingSettingsFromEnv(),
  };
}

/** The relay also publishes work events on the event bus. */
export function relayDepsFromEnv() {
  return { ...routingDepsFromEnv(), events: EventBridgeWorkEvents.fromEnv(requireEnv('EVENT_BUS_NAME')) };
}

/** Accepting and pulling work write the case too: both tables. */
export function assignmentDepsFromEnv(): AssignmentDeps {
  const casesTable = requireEnv('CASES_TABLE_NAME');
  const cases = new DynamoCaseStore(dynamoDocumentClient, casesTable);
  return {
    ...routingDepsFromEnv(),
    cases,
    acceptance: new DynamoAcceptanceStore(dynamoDocumentClient, { agentState: requireEnv('AGENT_STATE_TABLE_NAME'), cases: casesTable }),
    backoff: jitteredBackoff,
  };
}
