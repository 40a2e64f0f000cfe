import type { Clock } from '#platform/domain/clock';
import { isoNow } from '#platform/domain/clock';
import { IllegalTransitionError } from '#platform/domain/errors';
import type { Case, CaseStatus } from './case.js';

/** Events that move a case through its lifecycle. */
export const CASE_EVENTS = ['open', 'wait_on_customer', 'hold', 'resume', 'resolve', 'close', 'reopen', 'release'] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

/**
 * The lifecycle as a table: for each status, the events it accepts and where they lead.
 * A closed case is final for every event but `reopen`; a resolved case may be reopened
 * (a customer replied) or closed for good.
 */
const LIFECYCLE: Record<CaseStatus, Partial<Record<CaseEvent, CaseStatus>>> = {
  new: { open: 'open', wait_on_customer: 'pending', hold: 'on_hold', resolve: 'resolved', close: 'closed' },
  open: { wait_on_customer: 'pending', hold: 'on_hold', resolve: 'resolved', close: 'closed' },
  pending: { resume: 'open', hold: 'on_hold', resolve: 'resolved', close: 'closed' },
  on_hold: { resume: 'open', wait_on_customer: 'pending', resolve: 'resolved', close: 'closed' },
  resolved: { reopen: 'open', close: 'closed' },
  closed: { reopen: 'open' },
  quarantined: { release: 'new', close: 'closed' },
};

/** The status an event leads to from a status, or null when the move is illegal. */
export function nextStatus(from: CaseStatus, event: CaseEvent): CaseStatus | null {
  return LIFECYCLE[from][event] ?? null;
}

/**
 * The event that moves a case from `from` to `to`, or null when no single event does.
 * A closed case is never reopened implicitly: the caller must ask for `reopen` by name.
 */
export function eventForStatusChange(from: CaseStatus, to: CaseStatus, explicitReopen = false): CaseEvent | null {
  const events = Object.entries(LIFECYCLE[from]) as [CaseEvent, CaseStatus][];
  const match = events.find(([event, target]) => target === to && (event !== 'reopen' || from !== 'closed' || explicitReopen));
  return match ? match[0] : null;
}

/** Statuses in which the case waits on the team, and the one in which it waits on the customer. */
const WITH_TEAM: readonly CaseStatus[] = ['new', 'open', 'on_hold'];
const WITH_CUSTOMER: readonly CaseStatus[] = ['pending'];

/** The metrics with the status interval that ends now added to the team's or the customer's time. */
function withStatusTime(current: Case, nowMs: number): Case['metrics'] {
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(current.statusChangedAt)) / 1000));
  return {
    ...current.metrics,
    teamSeconds: current.metrics.teamSeconds + (WITH_TEAM.includes(current.status) ? seconds : 0),
    customerSeconds: current.metrics.customerSeconds + (WITH_CUSTOMER.includes(current.status) ? seconds : 0),
  };
}

/**
 * The handling figures as of `nowMs`: the stored ones plus the status interval in progress, and the
 * times they imply (seconds from creation to first acceptance and first response).
 */
export function caseMetrics(c: Case, nowMs: number) {
  const current = withStatusTime(c, nowMs);
  const since = (at: string | null) => (at === null ? null : Math.max(0, Math.round((Date.parse(at) - Date.parse(c.createdAt)) / 1000)));
  const offered = c.metrics.firstAssignedAt;
  return {
    createdAt: c.createdAt,
    firstAssignedAt: c.metrics.firstAssignedAt,
    firstAcceptedAt: c.metrics.firstAcceptedAt,
    secondsToAccept:
      offered === null || c.metrics.firstAcceptedAt === null
        ? null
        : Math.max(0, Math.round((Date.parse(c.metrics.firstAcceptedAt) - Date.parse(offered)) / 1000)),
    firstResponseAt: c.firstResponseAt,
    secondsToFirstResponse: since(c.firstResponseAt),
    lastResponseAt: c.metrics.lastResponseAt,
    resolvedAt: c.resolvedAt,
    secondsToResolution: since(c.resolvedAt),
    reopenCount: c.reopenCount,
    secondsWithTeam: current.teamSeconds,
    secondsWithCustomer: current.customerSeconds,
  };
}

/**
 * Applies a lifecycle event to a case and returns the changed copy (the input is untouched).
 * Stamps the timestamps the event implies; the version is bumped by whoever persists the change.
 *
 * @throws IllegalTransitionError when the status does not accept the event.
 */
export function transition(current: Case, event: CaseEvent, clock: Clock): Case {
  const to = nextStatus(current.status, event);
  if (!to) {
    const hint = current.status === 'closed' ? 'a closed case can only be reopened with the reopen event' : undefined;
    throw new IllegalTransitionError(current.status, event, hint);
  }
  const at = isoNow(clock);
  return {
    ...current,
    metrics: withStatusTime(current, clock.now()),
    status: to,
    statusChangedAt: at,
    updatedAt: at,
    resolvedAt: to === 'resolved' ? at : event === 'reopen' ? null : current.resolvedAt,
    closedAt: to === 'closed' ? at : event === 'reopen' ? null : current.closedAt,
    reopenCount: event === 'reopen' ? current.reopenCount + 1 : current.reopenCount,
  };
}
