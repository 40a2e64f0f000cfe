import type { CallbackSettings } from '../domain/callback-settings.js';
import type { CallbackStaff, CallbackStore, OutboundDialler } from '../domain/callback-ports.js';
import type { Clock } from '#platform/domain/clock';
import type { MailSettings } from '#email';
import type { IdGenerator, SecretGenerator } from '#platform/domain/ids';
import type { CaseStore, CustomerHistoryStore } from '#cases';
import type { CustomerStore } from '#customers';
import type { SlaStore } from '#sla';

import type { CallCaseStore, CallerDirectory } from '../domain/call-ports.js';
import type { CaseSettings } from '#cases';
import type { CaseDeps } from '#cases';

/** What handling a contact event needs: callbacks, cases and customers, the staff, mail settings. */
export interface ContactEventDeps {
  callbacks: CallbackStore;
  cases: Pick<CaseStore, 'getCase' | 'readIntakeState' | 'commitCaseChange'>;
  customers: Pick<CustomerStore, 'getCustomer' | 'findCustomerIdByIdentity'> & CustomerHistoryStore;
  staff: CallbackStaff;
  clock: Clock;
  ids: IdGenerator;
  secrets: SecretGenerator;
  settings: CallbackSettings;
  mailSettings: MailSettings;
  /** Waits before retry `attempt` (1-based) after a lost race; tests pass a no-op. */
  backoff: (attempt: number) => Promise<void>;
}

/** The dispatcher also dials, and reads the business-hours calendars (the SLA configuration). */
export interface DispatchCallbacksDeps extends ContactEventDeps {
  dialler: OutboundDialler;
  sla: Pick<SlaStore, 'readConfig'>;
}

/** The callbacks API reads lists and counters. */
export interface CallbackQueryDeps {
  callbacks: Pick<CallbackStore, 'listCallbacks' | 'readStats'>;
}

/** What looking up a caller needs: the directory and the queues. */
export interface LookupCallerDeps {
  callers: CallerDirectory;
  settings: CaseSettings;
}

/** What opening or linking a call's case needs: the case intake's deps and the store of calls. */
export interface CallCaseDeps extends Pick<CaseDeps, 'clock' | 'ids' | 'secrets' | 'settings' | 'backoff'> {
  calls: CallCaseStore;
  customers: CustomerHistoryStore;
}
