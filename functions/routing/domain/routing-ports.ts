import type { Presence, StaffMember } from '#agents';
import type { Case, Priority } from '#cases';
import type { TimelineEntry } from '#cases';
import type { RoutingDecision } from './choose-agent.js';
import type { WorkItem } from './work-item.js';

export const WORK_STATUSES = ['waiting', 'offered', 'accepted', 'done'] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

/** Why an owner gave an item back. */
export type ReleaseReason = 'declined' | 'timed_out' | 'resolved' | 'closed' | 'reassigned' | 'unassigned' | 'unrouted';

/** A work item as stored, with where it stands in routing and who owns it. */
export type WorkRecord = WorkItem & {
  status: WorkStatus;
  owner: string | null;
  /** Identifies one offer, so a late timeout or answer cannot touch a later offer of the same item. */
  offerId: string | null;
  offeredAt: string | null;
  offerExpiresAt: string | null;
  acceptedAt: string | null;
  /** The case version that last (re)queued the item: an older stream record changes nothing. */
  caseVersion: number;
  releasedAt: string | null;
  releaseReason: ReleaseReason | null;
  /** The latest routing decision (offer or backlog), for `GET /cases/{id}/routing`. */
  decision: RoutingDecision | null;
};

/** What a reservation attempt came to: only `reserved` changed anything. */
export type ReservationOutcome = 'reserved' | 'agent_refused' | 'item_taken';

export interface Reservation {
  agentId: string;
  workId: string;
  weight: number;
  /** The capacity the room was computed from; the reservation fails if it changed. */
  capacity: number;
  offerId: string;
  at: string;
  offerExpiresAt: string;
  decision: RoutingDecision;
  /**
   * The item as the caller judged it. The reservation fails (as `item_taken`) when the item's case
   * version or its decliners changed since: a stale snapshot (a repeated message, a lagging index)
   * never offers work to someone who declined it since, or under routing fields that no longer hold.
   */
  seen: ItemRevision;
}

/**
 * What a routing judgement of an item depended on beyond its status: see `Reservation.seen`. The
 * queue and priority also name the backlog counter the reservation takes the item out of.
 */
export interface ItemRevision {
  caseVersion: number;
  declines: number;
  queue: string;
  priority: Priority;
}

export function revisionOf(item: Pick<WorkRecord, 'caseVersion' | 'declinedBy' | 'queue' | 'priority'>): ItemRevision {
  return { caseVersion: item.caseVersion, declines: item.declinedBy.length, queue: item.queue, priority: item.priority };
}

/** How many of a queue's work items wait, by priority (a priority with none is left out). */
export type WaitingCounts = Partial<Record<Priority, number>>;

export interface Release {
  agentId: string;
  workId: string;
  weight: number;
  at: string;
  reason: ReleaseReason;
  /** Back to the backlog (declined, timed out) or done for good (resolved, closed, reassigned). */
  requeue: boolean;
  /** Only this offer (declines and timeouts name the offer they end). */
  offerId?: string | undefined;
  /** Sets the agent away in the same transaction (an offer they let lapse: they are not there). */
  setAway?: boolean;
}

/**
 * The hard claims of routing, enforced by the store itself: an agent's load never exceeds their
 * capacity, and a work item has at most one owner, whatever routers and agents race.
 */
export interface RoutingStore {
  /**
   * Puts a case's work item in the backlog: creates it, restarts it when it was done, or refreshes
   * the routing fields of a waiting one, each only for a newer case version than the stored one.
   */
  enqueue(item: WorkItem, caseVersion: number): Promise<'created' | 'refreshed' | 'unchanged'>;
  /** A waiting item leaves the backlog without an owner (its case no longer needs an agent). */
  withdraw(workId: string, caseVersion: number, at: string): Promise<boolean>;
  /**
   * In one atomic step: the agent's load grows by the weight only if it stays within capacity and
   * the agent is available, and the item gets the agent as owner only if it has none.
   */
  reserve(reservation: Reservation): Promise<ReservationOutcome>;
  /**
   * Gives the item back: the agent's load shrinks by the weight only if the agent still owns the
   * item (and it is the named offer), so repeating it frees the weight once.
   * @returns false when the agent no longer owned it (already released).
   */
  release(release: Release): Promise<boolean>;
  /**
   * Records why a waiting item got no agent this time (the decision record of the backlog) and
   * which recheck is now the item's one: only if the item is still waiting and, for a recheck,
   * `expectedRecheckId` is still the current one.
   * @returns false when the item is not waiting or the recheck was superseded.
   */
  recordDecision(
    workId: string,
    decision: RoutingDecision,
    recheck: { expectedRecheckId: string | null; nextRecheckId: string },
  ): Promise<boolean>;
  /** Every member of staff with their live state, in one query. */
  listStaff(): Promise<StaffMember[]>;
  /** One member of staff with their live state, in one query; null when unknown. */
  getStaffMember(agentId: string): Promise<StaffMember | null>;
  /** The backlog of a queue in routing order (priority, then age), up to `limit` items, in one query. */
  listBacklog(queue: string, limit: number): Promise<WorkRecord[]>;
  /**
   * How many items wait in each queue, by priority: counters kept in the same transactions that move
   * items in and out of backlogs, read in one request however long the backlogs are.
   */
  countWaiting(queues: readonly string[]): Promise<Record<string, WaitingCounts>>;
  /**
   * When the oldest of a queue's waiting items of these priorities was enqueued, or null when none
   * waits: the first item of each priority's part of the backlog, one item read per priority.
   */
  oldestWaiting(queue: string, priorities: readonly Priority[]): Promise<string | null>;
  /** Items offered to or accepted by an agent, oldest offer first. */
  listOwnedWork(agentId: string): Promise<WorkRecord[]>;
  getWorkItem(workId: string): Promise<WorkRecord | null>;
}

/** Accepting an offer: the item and the case change together, or neither does. */
export interface AcceptanceStore {
  /**
   * The item becomes accepted (only if still offered to the agent under `offerId`, before expiry)
   * and the case gets the agent as assignee (only if at `expectedVersion`), in one transaction.
   * @throws CommitConflict('duplicate') when the offer is gone, ('version') when the case changed.
   */
  commitAcceptance(commit: {
    workId: string;
    agentId: string;
    offerId: string;
    at: string;
    case: Case;
    expectedVersion: number;
    timeline: TimelineEntry[];
  }): Promise<void>;
}

/** The load that Amazon Connect contacts put on agents (the agent event stream). */
/** What one Connect agent event says of an agent. */
export interface ContactUpdate {
  contacts: Record<string, number>;
  connectAgentArn: string;
  at: string;
  /**
   * The agent's Connect status and the presence it means, or null when the event names none. The
   * presence is applied only when the status differs from the one stored (a status change in the
   * CCP), so a presence set in Switchboard meanwhile is not undone by every heartbeat.
   */
  status: { name: string; presence: Presence } | null;
}

export interface ContactLoadStore {
  /**
   * Replaces the agent's contacts in progress (contact id → weight) and moves their load by the
   * difference, and applies a changed Connect status as presence (state and profile together),
   * only if `at` is newer than the event stored.
   */
  applyContacts(agentId: string, update: ContactUpdate): Promise<'applied' | 'stale'>;
}

/** Messages routing sends itself through its SQS queues, and events it publishes. */
export interface RoutingMessages {
  /** Asks a router to place an item (after `delaySeconds`), optionally keeping decliners out. */
  route(item: WorkRecord, options: { delaySeconds: number; excludeDecliners: boolean; recheckId?: string }): Promise<void>;
  /** Asks a router to end an offer if it is still unanswered when its time is up. */
  expireOfferLater(offer: { workId: string; queue: string; agentId: string; offerId: string }, delaySeconds: number): Promise<void>;
}

export interface WorkEvent {
  type: 'work.offered' | 'work.accepted' | 'work.declined' | 'work.timed_out' | 'work.released';
  work: WorkRecord;
  agentId: string;
}

export interface WorkEventPublisher {
  publish(events: readonly WorkEvent[]): Promise<void>;
}
