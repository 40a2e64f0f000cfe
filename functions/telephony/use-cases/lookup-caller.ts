import { callerPhone } from '../domain/caller-number.js';
import type { CallerCase, CallerProfile } from '../domain/call-ports.js';
import { isOpenForCalls, newestOpenCase } from '../domain/newest-open-case.js';
import type { LookupCallerDeps } from './deps.js';

/** How many of a caller's newest cases a lookup reads: `openCaseCount` counts open cases among these. */
export const CALLER_CASES_READ = 10;

/** Who is calling, as a contact flow routes on it. */
export interface CallerLookup {
  /** The caller's number in E.164; null when withheld or not an international number. */
  phone: string | null;
  /** The customer who owns the number; null when the number is withheld or unknown. */
  customerId: string | null;
  /** Null when unknown, or in the moment after the customer was created (see `CallerRecord.profile`). */
  profile: CallerProfile | null;
  /** Open cases (not resolved, closed or quarantined) among the caller's newest `CALLER_CASES_READ` cases. */
  openCaseCount: number;
  /** The caller's newest case, whatever its status; null when they have none. */
  latestCase: CallerCase | null;
  /** Our queue for the call: the queue of the newest open case, else the default queue; null for an unknown caller. */
  suggestedQueue: string | null;
}

/**
 * Looks up a caller by the number they call from.
 *
 * 1. Normalize the number to E.164 as customer identities are stored; a withheld, empty or
 *    unparsable number is an unknown caller (no request at all).
 * 2. Read the number's owner with their newest cases: one directory call, at most two requests.
 * 3. Count the open cases among those read; the newest case is the latest; suggest the queue of the
 *    newest open case, else the default queue.
 */
export async function lookupCaller(deps: LookupCallerDeps, input: { callerAddress: string | null }): Promise<CallerLookup> {
  const phone = callerPhone(input.callerAddress);
  const unknown: CallerLookup = { phone, customerId: null, profile: null, openCaseCount: 0, latestCase: null, suggestedQueue: null };
  if (phone === null) return unknown;
  const caller = await deps.callers.findCallerByPhone(phone, CALLER_CASES_READ);
  if (!caller) return unknown;
  const openCase = newestOpenCase(caller.cases);
  return {
    phone,
    customerId: caller.customerId,
    profile: caller.profile,
    openCaseCount: caller.cases.filter((c) => isOpenForCalls(c.status)).length,
    latestCase: caller.cases[0] ?? null,
    suggestedQueue: openCase?.queue ?? deps.settings.defaultQueue,
  };
}
