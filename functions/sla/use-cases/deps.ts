import type { AgentStore } from '#agents';
import type { MailSettings } from '#email';
import type { Clock } from '#platform/domain/clock';
import type { IdGenerator } from '#platform/domain/ids';
import type { SlaSettings } from '../domain/sla-config.js';
import type { SlaEventPublisher, SlaStore, SlaTimers } from '../domain/sla-ports.js';

/** Everything the SLA use cases depend on. */
export interface SlaDeps {
  sla: SlaStore;
  clock: Clock;
  ids: IdGenerator;
  settings: SlaSettings;
  /** Waits before retry `attempt` after losing a race for the record or the case. */
  backoff: (attempt: number) => Promise<void>;
}

/** Evaluating a clock may escalate: it reads the staff to notify and queues their mail. */
export interface SlaEscalationDeps extends SlaDeps {
  agents: Pick<AgentStore, 'listAgents'>;
  mailSettings: MailSettings;
}

/** The relay of SLA record changes: timers and events. */
export interface SlaRelayDeps {
  timers: SlaTimers;
  events: SlaEventPublisher;
}
