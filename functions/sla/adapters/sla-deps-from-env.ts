import { DEFAULT_CASE_SETTINGS } from '#cases';
import type { SlaSettings } from '../domain/sla-config.js';
import type { SlaDeps, SlaEscalationDeps, SlaRelayDeps } from '../use-cases/deps.js';
import { DynamoAgentStore } from '#agents/adapters';
import { DynamoCaseStore } from '#cases/adapters';
import type { CaseStore } from '#cases';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoSlaStore } from './dynamodb/sla-store.js';
import { optionalEnv, requireEnv } from '#platform/adapters/env';
import { EventBridgeSlaEvents } from './eventbridge/sla-event-publisher.js';
import { StepFunctionsSlaTimers } from './stepfunctions/sfn-sla-timers.js';
import { jitteredBackoff, systemClock, ulidGenerator } from '#platform/adapters/system';
import { mailSettingsFromEnv } from '#email/adapters';

/** SLA settings: the queues (with their calendars and escalation queues) and the demo time scale. */
export function slaSettingsFromEnv(): SlaSettings {
  const timeScale = Number(optionalEnv('SLA_TIME_SCALE', '1'));
  if (!Number.isFinite(timeScale) || timeScale < 1) throw new Error('environment variable SLA_TIME_SCALE must be a number ≥ 1');
  return { queues: DEFAULT_CASE_SETTINGS.queues, timeScale };
}

/** The SLA tracker and the SLA API: the cases table. */
export function slaDepsFromEnv(): SlaDeps {
  return {
    sla: new DynamoSlaStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')),
    clock: systemClock,
    ids: ulidGenerator,
    settings: slaSettingsFromEnv(),
    backoff: jitteredBackoff,
  };
}

/** The SLA API also resolves a case number to its id. */
export function slaApiDepsFromEnv(): SlaDeps & { cases: Pick<CaseStore, 'findCaseIdBySequence'> } {
  return { ...slaDepsFromEnv(), cases: new DynamoCaseStore(dynamoDocumentClient, requireEnv('CASES_TABLE_NAME')) };
}

/** The timer's evaluation also reads the staff (who to notify) and queues mail. */
export function slaEscalationDepsFromEnv(): SlaEscalationDeps {
  return {
    ...slaDepsFromEnv(),
    agents: new DynamoAgentStore(dynamoDocumentClient, requireEnv('AGENT_STATE_TABLE_NAME')),
    mailSettings: mailSettingsFromEnv(),
  };
}

/** The relay of SLA record changes: the SLA state machine and the event bus. */
export function slaRelayDepsFromEnv(): SlaRelayDeps {
  return {
    timers: StepFunctionsSlaTimers.fromEnv(requireEnv('SLA_STATE_MACHINE_ARN')),
    events: EventBridgeSlaEvents.fromEnv(requireEnv('EVENT_BUS_NAME')),
  };
}
