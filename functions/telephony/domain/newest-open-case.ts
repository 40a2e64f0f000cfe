import type { CaseStatus } from '#cases';

/**
 * Statuses in which a case no longer takes a new call: it is done (`resolved`, `closed`) or held
 * back as suspected spam (`quarantined`). Every other status (`new`, `open`, `pending`, `on_hold`)
 * is an open case a call is linked to.
 */
const NOT_OPEN_FOR_CALLS: ReadonlySet<CaseStatus> = new Set(['resolved', 'closed', 'quarantined']);

/** Whether a call about this case belongs on it. */
export function isOpenForCalls(status: CaseStatus): boolean {
  return !NOT_OPEN_FOR_CALLS.has(status);
}

/**
 * The newest case still open for calls, from cases given newest first, or null.
 *
 * @param skip case ids to pass over (cases found closed since they were read)
 */
export function newestOpenCase<T extends { id: string; status: CaseStatus }>(
  newestFirst: readonly T[],
  skip: ReadonlySet<string> = new Set(),
): T | null {
  return newestFirst.find((c) => isOpenForCalls(c.status) && !skip.has(c.id)) ?? null;
}
