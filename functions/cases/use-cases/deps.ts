import type { Clock } from '#platform/domain/clock';
import type { IdGenerator, SecretGenerator } from '#platform/domain/ids';
import type { CaseStore, CustomerHistoryStore, HiddenCaseCounter } from '../domain/case-ports.js';
import type { CustomerStore } from '#customers';
import type { CaseSettings } from '../domain/queue-settings.js';

/** Everything the case use cases depend on; triggers and tests pass their own. */
export interface CaseDeps {
  cases: CaseStore;
  customers: CustomerStore & CustomerHistoryStore & HiddenCaseCounter;
  clock: Clock;
  ids: IdGenerator;
  secrets: SecretGenerator;
  settings: CaseSettings;
  /** Waits before retry `attempt` (1-based) after a lost race; tests pass a no-op. */
  backoff: (attempt: number) => Promise<void>;
}
