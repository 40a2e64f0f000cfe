import type { QueueSettings } from '#cases';
import type { AssignmentDeps, RoutingDeps } from '../use-cases/deps.js';
import { DynamoAcceptanceStore } from './dynamodb/acceptance-store.js';
import { caseSettingsFromEnv, DynamoCaseStore } from '#cases/adapters';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoRoutingStore } from './dynamodb/routing-store.js';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { EventBridgeWorkEvents } from './eventbridge/work-event-publisher.js';
import { SqsRoutingMessages } from './sqs/sqs-routing-messages.js';
import { routingSettingsFromEnv } from './routing-settings-from-env.js';
import { jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';

/** Routing's adapters: the agent-state table and the routing queues. */
export function routingDepsFromEnv(): RoutingDeps {
  return {
    routing: new DynamoRoutingStore(dynamoDocumentClient, readEnv(ENV.agentStateTable)),
    messages: new SqsRoutingMessages(),
    clock: systemClock,
    ids: ulidGenerator,
    settings: routingSettingsFromEnv(),
  };
}

/** The relay also publishes work events on the event bus. */
export function relayDepsFromEnv() {
  return { ...routingDepsFromEnv(), events: EventBridgeWorkEvents.fromEnv(readEnv(ENV.eventBus)) };
}

/** Accepting and pulling work write the case too: both tables. */
export function assignmentDepsFromEnv(): AssignmentDeps {
  const casesTable = readEnv(ENV.casesTable);
  const cases = new DynamoCaseStore(dynamoDocumentClient, casesTable);
  return {
    ...routingDepsFromEnv(),
    cases,
    acceptance: new DynamoAcceptanceStore(dynamoDocumentClient, { agentState: readEnv(ENV.agentStateTable), cases: casesTable }),
    backoff: jitteredBackoff,
  };
}

/** The routing API: accepting and pulling work, and the deployment's queues (`GET /queues`, pulls). */
export function routingApiDepsFromEnv(): AssignmentDeps & { queues: readonly QueueSettings[] } {
  return { ...assignmentDepsFromEnv(), queues: caseSettingsFromEnv().queues };
}

/** Who sees which case: the case routes answer only for cases the caller may see. */
export { caseAccessDepsFromEnv } from '#cases/adapters';
