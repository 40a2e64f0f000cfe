import { chooseAgent, type RoutingDecision } from '../domain/choose-agent.js';
import type { StaffMember } from '#agents';
import { revisionOf, type WorkRecord } from '../domain/routing-ports.js';
import { secondsUntilRecheck, stepsOf } from '../domain/routing-settings.js';
import type { RoutingDeps } from './deps.js';

/** Candidates a router tries, one reservation each, when earlier winners turn out to be taken. */
const MAX_RESERVATION_ATTEMPTS = 5;

export type RouteOutcome =
  | { outcome: 'offered'; agentId: string; decision: RoutingDecision }
  | { outcome: 'backlog'; decision: RoutingDecision; recheckInSeconds: number }
  | { outcome: 'not_waiting' };

/**
 * Places one work item (a message of a routing queue).
 *
 * 1. Read every member of staff with their live state (one query).
 * 2. Choose by the policy (`chooseAgent`): eligible agents of the queue under the step in force,
 *    most room, longest idle, id; decliners last, or not at all right after they declined.
 * 3. Reserve the winner in one transaction, recording the decision on the item. A reservation that
 *    loses (the agent's room or presence changed since the read) tries the next candidate. One that
 *    finds the item taken or changed reads it once (one GetItem): the message's snapshot may be
 *    stale (a repeated message, or a recheck sent before a decline), and an item still waiting is
 *    judged again as it stands, its new decliners ranked last; otherwise someone else placed it.
 * 4. With no winner, record the decision on the waiting item and ask to look again when the next
 *    routing step starts or the recheck interval ends, whichever is sooner. A recheck superseded
 *    by a newer one (the item was routed again meanwhile) stops there, so each item has one chain.
 */
export async function routeWork(
  deps: RoutingDeps,
  input: { item: WorkRecord; excludeDecliners: boolean; recheckId: string | null },
): Promise<RouteOutcome> {
  let item = input.item;
  let reread = false;
  const staff = await deps.routing.listStaff();
  const agents = staff.map((member) => member.agent);
  const loads = new Map(staff.map((member) => [member.agent.id, member.live]));
  const steps = stepsOf(deps.settings, item.queue);

  for (let attempt = 1; ; attempt++) {
    const exclude = input.excludeDecliners ? item.declinedBy : [];
    const now = deps.clock.now();
    const chosen = trimDecision(chooseAgent(item, agents, loads, now, steps, { exclude }), deps.settings.maxRecordedCandidates);
    const gaveUp = attempt > MAX_RESERVATION_ATTEMPTS && chosen.winner !== null;
    const decision: RoutingDecision = gaveUp
      ? {
          ...chosen,
          winner: null,
          reason: `the ${MAX_RESERVATION_ATTEMPTS} best candidates took other work before they could be reserved: the item waits for the next look`,
        }
      : chosen;
    const winner = decision.winner ? (loads.get(decision.winner) as StaffMember['live']) : null;
    if (!winner) {
      const recheckInSeconds = secondsUntilRecheck(deps.settings, item.queue, decision.waitedSeconds);
      const recheckId = deps.ids.newId();
      const recorded = await deps.routing.recordDecision(item.id, decision, {
        expectedRecheckId: input.recheckId,
        nextRecheckId: recheckId,
      });
      if (!recorded) return { outcome: 'not_waiting' };
      await deps.messages.route(item, { delaySeconds: recheckInSeconds, excludeDecliners: false, recheckId });
      return { outcome: 'backlog', decision, recheckInSeconds };
    }
    const at = new Date(now).toISOString();
    const outcome = await deps.routing.reserve({
      agentId: winner.agentId,
      workId: item.id,
      weight: item.weight,
      capacity: winner.capacity,
      offerId: deps.ids.newId(),
      at,
      offerExpiresAt: new Date(now + deps.settings.offerTimeoutSeconds * 1000).toISOString(),
      decision,
      seen: revisionOf(item),
    });
    if (outcome === 'reserved') return { outcome: 'offered', agentId: winner.agentId, decision };
    if (outcome === 'item_taken') {
      if (reread) return { outcome: 'not_waiting' };
      reread = true;
      const current = await deps.routing.getWorkItem(item.id);
      if (!current || current.status !== 'waiting' || current.owner !== null) return { outcome: 'not_waiting' };
      item = current;
      continue;
    }
    // The index we read was behind: this agent has no room or is no longer available. Count them
    // as full and choose again among the rest.
    loads.set(winner.agentId, { ...winner, load: winner.capacity });
  }
}

/**
 * A decision record of a big team would outgrow its item: keep the best-ranked candidates (the
 * eligible come first) and count the rest.
 */
export function trimDecision(decision: RoutingDecision, max: number): RoutingDecision {
  if (decision.candidates.length <= max) return decision;
  return { ...decision, candidates: decision.candidates.slice(0, max), omittedCandidates: decision.candidates.length - max };
}
