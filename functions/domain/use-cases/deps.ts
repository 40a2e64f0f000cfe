import type { Clock } from '../clock.js';
import type { IdGenerator, SecretGenerator } from '../ids.js';
import type { AgentStore, CaseStore, CustomerStore } from '../ports.js';
import type { AcceptanceStore, RoutingMessages, RoutingStore } from '../routing/routing-ports.js';
import type { RoutingSettings } from '../routing/routing-settings.js';
import type { CaseSettings } from '../settings.js';

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
