import type { CallbackSettings } from '../callbacks/callback-settings.js';
import type { CallbackStaff, CallbackStore, OutboundDialler } from '../callbacks/callback-ports.js';
import type { Clock } from '../clock.js';
import type { MailSettings } from '../email/mail-settings.js';
import type { IdGenerator, SecretGenerator } from '../ids.js';
import type { CaseStore, CustomerStore } from '../ports.js';
import type { SlaStore } from '../sla/sla-ports.js';

/** What handling a contact event needs: callbacks, cases and customers, the staff, mail settings. */
export interface ContactEventDeps {
  callbacks: CallbackStore;
  cases: Pick<CaseStore, 'getCase' | 'readIntakeState' | 'commitCaseChange'>;
  customers: Pick<CustomerStore, 'getCustomer' | 'getCustomerWithCases' | 'findCustomerIdByIdentity'>;
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
