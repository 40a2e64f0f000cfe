import { chooseWorkForAgent, decisionOfChoice, type WorkChoice } from '../domain/choose-work.js';
import { revisionOf, type WorkRecord } from '../domain/routing-ports.js';
import { stepsOf } from '../domain/routing-settings.js';
import type { RoutingDeps } from './deps.js';

/** Backlog items read per queue per drain: more than an agent's budget can hold at the lightest weight. */
export const DRAIN_PAGE_SIZE = 25;
/** Reservations a drain attempts before it stops (each success or lost race counts). */
const MAX_DRAIN_ATTEMPTS = 20;

export interface DrainOutcome {
  offered: { workId: string; weight: number }[];
  /** Why the drain stopped. */
  stoppedBecause: 'not_available' | 'unknown_agent' | 'nothing_eligible' | 'no_room' | 'attempts_exhausted';
}

/**
 * Fills an agent's freed capacity from the backlog (they became available, finished, declined or
 * ended a call).
 *
 * 1. Read the agent's profile and live state (one query) and the backlog of each queue they serve
 *    (one query per queue, the first items in routing order).
 * 2. Take the first item, in backlog order, that the agent is eligible for under the routing step
 *    the item has reached; items the agent declined are left to the other agents and to rechecks.
 * 3. Reserve it (one transaction); repeat while room is left. A lost item is skipped; a refused
 *    reservation means the agent's state moved on, so it is read again.
 */
export async function drainBacklog(deps: RoutingDeps, input: { agentId: string }): Promise<DrainOutcome> {
  let member = await deps.routing.getStaffMember(input.agentId);
  if (!member) return { offered: [], stoppedBecause: 'unknown_agent' };
  const backlog: WorkRecord[] = (
    await Promise.all(member.agent.queues.map((queue) => deps.routing.listBacklog(queue, DRAIN_PAGE_SIZE)))
  ).flat();
  const skip = new Set<string>();
  const offered: DrainOutcome['offered'] = [];

  for (let attempt = 0; attempt < MAX_DRAIN_ATTEMPTS; attempt++) {
    if (member.live.presence !== 'available') return { offered, stoppedBecause: 'not_available' };
    const now = deps.clock.now();
    const choice: WorkChoice<WorkRecord> | null = chooseWorkForAgent(
      member.agent,
      member.live,
      backlog,
      now,
      (queue) => stepsOf(deps.settings, queue),
      {
        includeDeclined: false,
        skip,
      },
    );
    if (!choice) {
      const roomLeft = member.live.capacity - member.live.load;
      const lightest = Math.min(...Object.values(deps.settings.channelWeights));
      return { offered, stoppedBecause: roomLeft < lightest ? 'no_room' : 'nothing_eligible' };
    }
    const item: WorkRecord = choice.item;
    const candidate = choice.candidate;
    const at = new Date(now).toISOString();
    const outcome = await deps.routing.reserve({
      agentId: member.agent.id,
      workId: item.id,
      weight: item.weight,
      capacity: member.live.capacity,
      offerId: deps.ids.newId(),
      at,
      offerExpiresAt: new Date(now + deps.settings.offerTimeoutSeconds * 1000).toISOString(),
      decision: decisionOfChoice(
        choice,
        now,
        `${candidate.agentId} freed capacity (${candidate.remaining} of ${candidate.capacity} left) and this is the first item of the backlog, by priority then age, they are eligible for`,
      ),
      seen: revisionOf(item),
    });
    // Taken, offered or changed since the backlog was read (its own route places it), the item is done with; refused, it is the agent who changed: read them again
    // and the same item stays first in line.
    if (outcome !== 'agent_refused') skip.add(item.id);
    if (outcome === 'reserved') {
      offered.push({ workId: item.id, weight: item.weight });
      member = { ...member, live: { ...member.live, load: member.live.load + item.weight, idleSince: at } };
    } else if (outcome === 'agent_refused') {
      member = await deps.routing.getStaffMember(input.agentId);
      if (!member) return { offered, stoppedBecause: 'unknown_agent' };
    }
  }
  return { offered, stoppedBecause: 'attempts_exhausted' };
}
