import type { CallCaseStore, CallerDirectory } from '../calls/call-ports.js';
import type { CustomerStore } from '../ports.js';
import type { CaseSettings } from '../settings.js';
import type { CaseDeps } from './deps.js';

/** What looking up a caller needs: the directory and the queues. */
export interface LookupCallerDeps {
  callers: CallerDirectory;
  settings: CaseSettings;
}

/** What opening or linking a call's case needs: the case intake's deps and the store of calls. */
export interface CallCaseDeps extends Pick<CaseDeps, 'clock' | 'ids' | 'secrets' | 'settings' | 'backoff'> {
  calls: CallCaseStore;
  customers: Pick<CustomerStore, 'getCustomerWithCases'>;
}
