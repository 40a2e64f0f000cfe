import type { Agent } from '#agents/domain/agent';
import { PRIORITIES, type Priority } from '#cases/domain/case';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { AgentLoad, StaffMember } from '#agents/domain/agent';
import type { RoutingDecision } from '#routing/domain/choose-agent';
import type {
  AcceptanceStore,
  ContactLoadStore,
  ContactUpdate,
  Release,
  Reservation,
  ReservationOutcome,
  RoutingStore,
  WaitingCounts,
  WorkRecord,
} from '#routing/domain/routing-ports';
import type { WorkItem } from '#routing/domain/work-item';
import type { InMemoryCasesDb } from './in-memory-cases-db.js';

const clone = <T>(value: T): T => structuredClone(value);

/** Routing fields a newer case version may change on a waiting item (as the DynamoDB adapter). */
const ROUTING_FIELDS = ['queue', 'channel', 'weight', 'language', 'topic', 'priority'] as const;

/** An agent's live state item: the load routing holds, and the Connect contacts part of it. */
interface AgentState extends AgentLoad {
  connectAgentArn: string | null;
  contacts: Record<string, number>;
  contactLoad: number;
  contactsAt: string | null;
  /** The Connect status last applied as presence. */
  connectStatus?: string | undefined;
  updatedAt: string | null;
}

/** A work item as stored: the record plus the id of its current backlog recheck. */
type StoredWork = WorkRecord & { recheckId: string | null };

/**
 * The agent-state table's routing records in memory, for unit tests. Every write keeps the
 * conditions of `DynamoRoutingStore`: a reservation needs an available agent whose capacity is the
 * one the room was computed from and whose load stays within it, and an item that is waiting with
 * no owner (an item taken wins over a refused agent, as the transaction's reasons do); a release
 * needs the owner (and the named offer) and frees the weight once; enqueue and withdraw compare
 * case versions; a decision is recorded only on a waiting item and for the current recheck.
 * Like the adapter's counter items, each write that moves an item into or out of a backlog moves
 * its queue's waiting count by its own delta (never a recount), so a missed move shows.
 */
export class InMemoryRoutingStore implements RoutingStore, ContactLoadStore {
  readonly agents = new Map<string, Agent>();
  readonly states = new Map<string, AgentState>();
  readonly work = new Map<string, StoredWork>();
  /** Waiting items by queue and priority, as the adapter's `QUEUE_COUNTS` items keep them. */
  readonly waitingCounts = new Map<string, Map<Priority, number>>();
  /** Every reservation attempted, with its outcome, in order. */
  readonly reservations: { agentId: string; workId: string; outcome: ReservationOutcome }[] = [];
  /** Runs before each reservation; a test uses it to let a rival change slip in after the read. */
  beforeReserve: ((reservation: Reservation) => void) | null = null;

  /** Adds a member of staff: the profile, and the live state (presence and capacity from the profile unless given). */
  addStaff(agent: Agent, live: Partial<Omit<AgentLoad, 'agentId'>> = {}): void {
    const presence = live.presence ?? agent.presence;
    this.agents.set(agent.id, clone({ ...agent, presence }));
    this.states.set(agent.id, {
      agentId: agent.id,
      presence,
      load: live.load ?? 0,
      capacity: live.capacity ?? agent.capacity,
      idleSince: live.idleSince ?? null,
      connectAgentArn: live.connectAgentArn ?? null,
      contacts: {},
      contactLoad: 0,
      contactsAt: null,
      updatedAt: null,
    });
  }

  /** Changes an agent's live state directly, as another writer would (a Connect call, a supervisor). */
  patchLive(agentId: string, patch: Partial<Pick<AgentLoad, 'presence' | 'load' | 'capacity'>>): void {
    const state = this.states.get(agentId);
    if (!state) throw new Error(`no live state for ${agentId}`);
    this.states.set(agentId, { ...state, ...patch });
  }

  /** An agent's live state as stored, or null. */
  liveOf(agentId: string): AgentLoad | null {
    const state = this.states.get(agentId);
    return state ? liveFrom(state) : null;
  }

  /** Stores a work record as it is (seeding a test). */
  putWork(record: WorkRecord, recheckId: string | null = null): void {
    const before = this.work.get(record.id);
    if (before?.status === 'waiting') this.moveWaiting(before, -1);
    if (record.status === 'waiting') this.moveWaiting(record, 1);
    this.work.set(record.id, clone({ ...record, recheckId }));
  }

  private moveWaiting(item: Pick<WorkRecord, 'queue' | 'priority'>, delta: 1 | -1): void {
    const counts = this.waitingCounts.get(item.queue) ?? new Map<Priority, number>();
    counts.set(item.priority, (counts.get(item.priority) ?? 0) + delta);
    this.waitingCounts.set(item.queue, counts);
  }

  /** The recheck an item's backlog chain now expects, or null. */
  recheckIdOf(workId: string): string | null {
    return this.work.get(workId)?.recheckId ?? null;
  }

  async enqueue(item: WorkItem, caseVersion: number): Promise<'created' | 'refreshed' | 'unchanged'> {
    const stored = this.work.get(item.id);
    // New, or done and asked for again by a newer version of the case: the whole item is replaced.
    if (!stored || (stored.status === 'done' && stored.caseVersion < caseVersion)) {
      this.work.set(item.id, { ...clone(item), ...emptyRouting(), status: 'waiting', owner: null, caseVersion, recheckId: null });
      this.moveWaiting(item, 1);
      return 'created';
    }
    if (stored.status !== 'waiting' || stored.caseVersion >= caseVersion) return 'unchanged';
    if (ROUTING_FIELDS.every((field) => stored[field] === item[field])) return 'unchanged';
    // A waiting item keeps its age (and so its routing step and place among equals).
    this.work.set(item.id, {
      ...stored,
      queue: item.queue,
      channel: item.channel,
      weight: item.weight,
      language: item.language,
      topic: item.topic,
      priority: item.priority,
      caseVersion,
    });
    this.moveWaiting(stored, -1);
    this.moveWaiting(item, 1);
    return 'refreshed';
  }

  async withdraw(workId: string, caseVersion: number, at: string): Promise<boolean> {
    const stored = this.work.get(workId);
    if (!stored || stored.status !== 'waiting' || !(stored.caseVersion < caseVersion)) return false;
    this.work.set(workId, { ...stored, status: 'done', releasedAt: at, releaseReason: 'unrouted', caseVersion });
    this.moveWaiting(stored, -1);
    return true;
  }

  async reserve(claim: Reservation): Promise<ReservationOutcome> {
    this.beforeReserve?.(claim);
    const outcome = this.tryReserve(claim);
    this.reservations.push({ agentId: claim.agentId, workId: claim.workId, outcome });
    return outcome;
  }

  private tryReserve(claim: Reservation): ReservationOutcome {
    const state = this.states.get(claim.agentId);
    const stored = this.work.get(claim.workId);
    const itemFree =
      stored !== undefined &&
      stored.status === 'waiting' &&
      stored.owner === null &&
      stored.caseVersion === claim.seen.caseVersion &&
      stored.declinedBy.length === claim.seen.declines &&
      stored.queue === claim.seen.queue &&
      stored.priority === claim.seen.priority;
    const agentHasRoom =
      state !== undefined &&
      state.presence === 'available' &&
      state.capacity === claim.capacity &&
      state.load <= claim.capacity - claim.weight;
    // Both conditions are one transaction: a duplicate (item taken) outranks a version (agent) failure.
    if (!itemFree) return 'item_taken';
    if (!agentHasRoom) return 'agent_refused';
    this.states.set(claim.agentId, { ...state, load: state.load + claim.weight, idleSince: claim.at, updatedAt: claim.at });
    this.work.set(claim.workId, {
      ...stored,
      owner: claim.agentId,
      status: 'offered',
      offerId: claim.offerId,
      offeredAt: claim.at,
      offerExpiresAt: claim.offerExpiresAt,
      decision: clone(claim.decision),
    });
    this.moveWaiting(claim.seen, -1);
    return 'reserved';
  }

  async release(release: Release): Promise<boolean> {
    const state = this.states.get(release.agentId);
    const profile = this.agents.get(release.agentId);
    const stored = this.work.get(release.workId);
    if (!state || state.load < release.weight) return false;
    if (release.setAway && !profile) return false;
    if (!stored || stored.owner !== release.agentId) return false;
    if (release.offerId && stored.offerId !== release.offerId) return false;

    this.states.set(release.agentId, {
      ...state,
      load: state.load - release.weight,
      updatedAt: release.at,
      ...(release.setAway ? { presence: 'away' as const } : {}),
    });
    if (release.setAway && profile) this.agents.set(release.agentId, { ...profile, presence: 'away', updatedAt: release.at });
    const declined = release.requeue && (release.reason === 'declined' || release.reason === 'timed_out');
    this.work.set(release.workId, {
      ...stored,
      owner: null,
      status: release.requeue ? 'waiting' : 'done',
      releasedAt: release.at,
      releaseReason: release.reason,
      declinedBy: declined ? [...stored.declinedBy, release.agentId] : stored.declinedBy,
    });
    if (release.requeue) this.moveWaiting(stored, 1);
    return true;
  }

  async recordDecision(
    workId: string,
    decision: RoutingDecision,
    recheck: { expectedRecheckId: string | null; nextRecheckId: string },
  ): Promise<boolean> {
    const stored = this.work.get(workId);
    if (!stored || stored.status !== 'waiting') return false;
    if (recheck.expectedRecheckId && stored.recheckId !== recheck.expectedRecheckId) return false;
    this.work.set(workId, { ...stored, decision: clone(decision), recheckId: recheck.nextRecheckId });
    return true;
  }

  async listStaff(): Promise<StaffMember[]> {
    return [...this.agents.values()].sort((a, b) => compareKeys(a.id, b.id)).map((agent) => this.memberOf(agent));
  }

  async getStaffMember(agentId: string): Promise<StaffMember | null> {
    const agent = this.agents.get(agentId);
    return agent ? this.memberOf(agent) : null;
  }

  async listBacklog(queue: string, limit: number): Promise<WorkRecord[]> {
    return this.backlogOf(queue).slice(0, limit);
  }

  async countWaiting(queues: readonly string[]): Promise<Record<string, WaitingCounts>> {
    return Object.fromEntries(
      queues.map((queue) => {
        const counts: WaitingCounts = {};
        for (const [priority, count] of this.waitingCounts.get(queue) ?? []) if (count !== 0) counts[priority] = count;
        return [queue, counts];
      }),
    );
  }

  async oldestWaiting(queue: string, priorities: readonly Priority[]): Promise<string | null> {
    const ages = this.backlogOf(queue)
      .filter((work) => priorities.includes(work.priority))
      .map((work) => work.enqueuedAt)
      .sort();
    return ages[0] ?? null;
  }

  async listOwnedWork(agentId: string): Promise<WorkRecord[]> {
    return [...this.work.values()]
      .filter((work) => work.owner === agentId && (work.status === 'offered' || work.status === 'accepted'))
      .sort((a, b) => compareKeys(`${a.offeredAt ?? ''}#${a.id}`, `${b.offeredAt ?? ''}#${b.id}`))
      .map(recordOf);
  }

  async getWorkItem(workId: string): Promise<WorkRecord | null> {
    const stored = this.work.get(workId);
    return stored ? recordOf(stored) : null;
  }

  async applyContacts(agentId: string, update: ContactUpdate): Promise<'applied' | 'stale'> {
    const state = this.states.get(agentId);
    if (!state) return 'stale';
    if (state.contactsAt !== null && state.contactsAt >= update.at) return 'stale';
    const newLoad = Object.values(update.contacts).reduce((sum, weight) => sum + weight, 0);
    const presence = update.status && update.status.name !== state.connectStatus ? update.status : null;
    if (presence) {
      const profile = this.agents.get(agentId);
      if (profile) this.agents.set(agentId, { ...profile, presence: presence.presence, updatedAt: update.at });
    }
    this.states.set(agentId, {
      ...state,
      ...(presence ? { presence: presence.presence, connectStatus: presence.name } : {}),
      load: state.load + newLoad - state.contactLoad,
      contactLoad: newLoad,
      contacts: clone(update.contacts),
      contactsAt: update.at,
      connectAgentArn: update.connectAgentArn,
      updatedAt: update.at,
    });
    return 'applied';
  }

  private memberOf(agent: Agent): StaffMember {
    const state = this.states.get(agent.id);
    const live: AgentLoad = state
      ? liveFrom(state)
      : { agentId: agent.id, presence: agent.presence, load: 0, capacity: agent.capacity, idleSince: null, connectAgentArn: null };
    return { agent: clone(agent), live };
  }

  /** A queue's waiting items in the order of the backlog index key: priority rank, then age, then id. */
  private backlogOf(queue: string): WorkRecord[] {
    return [...this.work.values()]
      .filter((work) => work.status === 'waiting' && work.queue === queue)
      .sort((a, b) => compareKeys(backlogKey(a), backlogKey(b)))
      .map(recordOf);
  }
}

/**
 * The cases table and the work items in one all-or-nothing commit, as `DynamoAcceptanceStore`:
 * the item must still be offered to the agent under that offer and not past its expiry, and the
 * case must be at the expected version; a gone offer outranks a changed case.
 */
export class InMemoryAcceptanceStore implements AcceptanceStore {
  /** Runs before each commit; a test uses it to let a rival write slip in between read and commit. */
  beforeCommit: (() => void) | null = null;

  constructor(
    private readonly routing: InMemoryRoutingStore,
    private readonly cases: InMemoryCasesDb,
  ) {}

  async commitAcceptance(commit: Parameters<AcceptanceStore['commitAcceptance']>[0]): Promise<void> {
    this.beforeCommit?.();
    const stored = this.routing.work.get(commit.workId);
    const offerOpen =
      stored !== undefined &&
      stored.owner === commit.agentId &&
      stored.status === 'offered' &&
      stored.offerId === commit.offerId &&
      stored.offerExpiresAt !== null &&
      stored.offerExpiresAt >= commit.at;
    if (!offerOpen) throw new CommitConflict('duplicate');
    if (this.cases.cases.get(commit.case.id)?.version !== commit.expectedVersion) throw new CommitConflict('version');
    this.routing.work.set(commit.workId, { ...stored, status: 'accepted', acceptedAt: commit.at });
    this.cases.cases.set(commit.case.id, clone(commit.case));
    this.cases.timeline.set(commit.case.id, [...(this.cases.timeline.get(commit.case.id) ?? []), ...clone(commit.timeline)]);
  }
}

function emptyRouting(): Pick<
  WorkRecord,
  'offerId' | 'offeredAt' | 'offerExpiresAt' | 'acceptedAt' | 'releasedAt' | 'releaseReason' | 'decision'
> {
  return { offerId: null, offeredAt: null, offerExpiresAt: null, acceptedAt: null, releasedAt: null, releaseReason: null, decision: null };
}

function liveFrom(state: AgentState): AgentLoad {
  return {
    agentId: state.agentId,
    presence: state.presence,
    load: state.load,
    capacity: state.capacity,
    idleSince: state.idleSince,
    connectAgentArn: state.connectAgentArn,
  };
}

function recordOf(stored: StoredWork): WorkRecord {
  const { recheckId: _recheckId, ...record } = clone(stored);
  return record;
}

/** The GSI2 sort key of a waiting item (see `backlogIndex` in the routing feature's work-item.ts): urgent ranks 0, low 3. */
function backlogKey(work: Pick<WorkRecord, 'priority' | 'enqueuedAt' | 'id'>): string {
  return `${PRIORITIES.length - 1 - PRIORITIES.indexOf(work.priority)}#${work.enqueuedAt}#${work.id}`;
}

/** DynamoDB orders string keys by their bytes; for the ASCII keys used here that is code-unit order. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
