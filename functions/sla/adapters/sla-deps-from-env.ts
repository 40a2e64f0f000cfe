import type { SlaSettings } from '../domain/sla-config.js';
import type { SlaDeps, SlaEscalationDeps, SlaRelayDeps } from '../use-cases/deps.js';
import { DynamoAgentStore } from '#agents/adapters';
import { caseSettingsFromEnv, DynamoCaseStore } from '#cases/adapters';
import type { CaseStore } from '#cases';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoSlaStore } from './dynamodb/sla-store.js';
import { ENV, readEnv } from '#platform/adapters/env-variables';
import { EventBridgeSlaEvents } from './eventbridge/sla-event-publisher.js';
import { StepFunctionsSlaTimers } from './stepfunctions/sfn-sla-timers.js';
import { jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';
import { mailSettingsFromEnv } from '#email/adapters';

/** SLA settings: the queues (with their calendars and escalation queues) and the demo time scale. */
export function slaSettingsFromEnv(): SlaSettings {
  return { queues: caseSettingsFromEnv().queues, timeScale: readEnv(ENV.slaTimeScale) };
}

/** The SLA tracker and the SLA API: the cases table. */
export function slaDepsFromEnv(): SlaDeps {
  return {
    sla: new DynamoSlaStore(dynamoDocumentClient, readEnv(ENV.casesTable)),
    clock: systemClock,
    ids: ulidGenerator,
    settings: slaSettingsFromEnv(),
    backoff: jitteredBackoff,
  };
}

/** The SLA API also resolves a case number to its id. */
export function slaApiDepsFromEnv(): SlaDeps & { cases: Pick<CaseStore, 'findCaseIdBySequence' | 'getCase'> } {
  return { ...slaDepsFromEnv(), cases: new DynamoCaseStore(dynamoDocumentClient, readEnv(ENV.casesTable)) };
}

/** The timer's evaluation also reads the staff (who to notify) and queues mail. */
export function slaEscalationDepsFromEnv(): SlaEscalationDeps {
  return {
    ...slaDepsFromEnv(),
    agents: new DynamoAgentStore(dynamoDocumentClient, readEnv(ENV.agentStateTable)),
    mailSettings: mailSettingsFromEnv(),
  };
}

/** The relay of SLA record changes: the SLA state machine and the event bus. */
export function slaRelayDepsFromEnv(): SlaRelayDeps {
  return {
    timers: StepFunctionsSlaTimers.fromEnv(readEnv(ENV.slaStateMachine)),
    events: EventBridgeSlaEvents.fromEnv(readEnv(ENV.eventBus)),
  };
}

/** Who sees which case: the case routes answer only for cases the caller may see. */
export { caseAccessDepsFromEnv } from '#cases/adapters';
