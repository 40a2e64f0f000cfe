import type { CaseStore } from '#cases';
import type { Clock } from '#platform/domain/clock';
import type { IdGenerator } from '#platform/domain/ids';
import type { AcceptanceStore, RoutingMessages, RoutingStore } from '../domain/routing-ports.js';
import type { RoutingSettings } from '../domain/routing-settings.js';

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
