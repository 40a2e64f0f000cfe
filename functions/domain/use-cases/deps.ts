import type { Clock } from '../clock.js';
import type { IdGenerator, SecretGenerator } from '../ids.js';
import type { AgentStore, CaseStore, CustomerStore } from '../ports.js';
import type { AcceptanceStore, RoutingMessages, RoutingStore } from '../routing/routing-ports.js';
import type { RoutingSettings } from '../routing/routing-settings.js';
import type { CaseSettings } from '../settings.js';
import type { MailSettings } from '../email/mail-settings.js';
import type { SlaSettings } from '../sla/sla-config.js';
import type { SlaEventPublisher, SlaStore, SlaTimers } from '../sla/sla-ports.js';

/** Everything the case use cases depend on; triggers and tests pass their own. */
export interface CaseDeps {
  cases: CaseStore;
  customers: CustomerStore;
  clock: Clock;
  ids: IdGenerator;
  secrets: SecretGenerator;
  settings: CaseSettings;
  /** Waits before retry `attempt` (1-based) after a lost race; tests pass a no-op. */
  backoff: (attempt: number) => Promise<void>;
}

export interface AgentDeps {
  agents: AgentStore;
  clock: Clock;
  settings: CaseSettings;
}

/** How many times a use case re-reads and retries after losing a race for the same record. */
export const MAX_COMMIT_ATTEMPTS = 10;

/** Everything the routing use cases depend on. */
export interface RoutingDeps {
  routing: RoutingStore;
  messages: RoutingMessages;
  clock: Clock;
  ids: IdGenerator;
  settings: RoutingSettings;
}

/** Accepting and pulling work also assign the case. */
export interface AssignmentDeps extends RoutingDeps {
  cases: CaseStore;
  acceptance: AcceptanceStore;
  /** Waits before retry `attempt` after the case changed under an acceptance. */
  backoff: (attempt: number) => Promise<void>;
}

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
