import type { Presence } from '../agents/agent.js';
import type { WorkItem } from './work-item.js';

/** A work item as stored, with where it stands in routing and who owns it. */
export type WorkRecord = WorkItem & { status: 'waiting' | 'offered' | 'accepted' | 'done'; owner: string | null };

/** What a reservation attempt came to: only `reserved` changed anything. */
export type ReservationOutcome = 'reserved' | 'agent_refused' | 'item_taken';

/**
 * The hard claims of routing, enforced by the store itself: an agent's load never exceeds their
 * capacity, and a work item has at most one owner, whatever routers and agents race.
 */
export interface RoutingStore {
  /** Puts an agent's live state (presence, capacity) without touching their load. */
  setAgentState(agentId: string, state: { presence: Presence; capacity: number; at: string }): Promise<void>;
  /** A work item waiting for an agent; a second enqueue of the same item changes nothing. */
  enqueue(item: WorkItem): Promise<boolean>;
  /**
   * In one atomic step: the agent's load grows by the weight only if it stays within capacity and
   * the agent is available, and the item gets the agent as owner only if it has none.
   */
  reserve(claim: { agentId: string; workId: string; weight: number; capacity: number; at: string; offerExpiresAt: string }): Promise<ReservationOutcome>;
  /**
   * Gives the item back (declined, timed out, finished): the agent's load shrinks by the weight
   * only if the agent still owns the item, so repeating it frees the weight once.
   * @returns false when the agent no longer owned it (already released).
   */
  release(release: { agentId: string; workId: string; weight: number; at: string; reason: 'declined' | 'timed_out' | 'finished'; requeue: boolean }): Promise<boolean>;
  getAgentLoad(agentId: string): Promise<{ presence: Presence; load: number; capacity: number; idleSince: string | null } | null>;
  getWorkItem(workId: string): Promise<WorkRecord | null>;
}
