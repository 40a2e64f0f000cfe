import type { Actor } from '#platform/domain/actor';
import type { Case } from '#cases';
import { BusinessRuleError, ForbiddenError, NotFoundError, ValidationError } from '#platform/domain/errors';
import { chooseWorkForAgent, decisionOfChoice } from '../domain/choose-work.js';
import { revisionOf, type WorkRecord } from '../domain/routing-ports.js';
import { stepsOf } from '../domain/routing-settings.js';
import { assignOffered } from './accept-work.js';
import type { AssignmentDeps } from './deps.js';
import { DRAIN_PAGE_SIZE } from './drain-backlog.js';

const MAX_CLAIM_ATTEMPTS = 10;

export type ClaimOutcome = { work: WorkRecord; case: Case } | { work: null; reason: string };

/**
 * An agent pulls the best item of a queue they serve (`POST /queues/{queue}/next`), with the same
 * guarantees as pushed work.
 *
 * 1. Read the agent and their live state (one query); they must serve the queue and be available.
 * 2. Read the head of the queue's backlog (one query) and take the first item, by priority then
 *    age, they are eligible for under the step it has reached (items they declined included: they
 *    are asking for work themselves).
 * 3. Reserve it (one transaction: room, presence, no other owner), then accept it (one
 *    transaction: item accepted, case assigned). An item someone else took is skipped.
 *
 * @throws NotFoundError (not staff), ValidationError (unknown queue), ForbiddenError (not serving the queue), BusinessRuleError (not available)
 */
export async function claimNextWork(
  deps: AssignmentDeps,
  input: { queue: string; queues: readonly string[] },
  actor: Actor,
): Promise<ClaimOutcome> {
  if (!input.queues.includes(input.queue)) {
    throw new ValidationError('unknown queue', [{ path: 'queue', message: `no queue named '${input.queue}'` }]);
  }
  let member = await deps.routing.getStaffMember(actor.id);
  if (!member) throw new NotFoundError('agent', actor.id);
  if (!member.agent.queues.includes(input.queue)) throw new ForbiddenError(`${actor.id} does not serve the queue ${input.queue}`);
  if (member.live.presence !== 'available') {
    throw new BusinessRuleError(`set your presence to available to take work (it is ${member.live.presence})`, {
      presence: member.live.presence,
    });
  }
  const backlog = await deps.routing.listBacklog(input.queue, DRAIN_PAGE_SIZE);
  const skip = new Set<string>();
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const choice = chooseWorkForAgent(member.agent, member.live, backlog, now, (queue) => stepsOf(deps.settings, queue), {
      includeDeclined: true,
      skip,
    });
    if (!choice) {
      return {
        work: null,
        reason:
          backlog.length === 0
            ? `the ${input.queue} backlog is empty`
            : `none of the ${backlog.length} waiting items fits your skills and room`,
      };
    }
    const at = new Date(now).toISOString();
    const offerId = deps.ids.newId();
    const decision = decisionOfChoice(
      choice,
      now,
      `${actor.id} pulled it from the ${input.queue} queue: the first item, by priority then age, they are eligible for`,
    );
    const offerExpiresAt = new Date(now + deps.settings.offerTimeoutSeconds * 1000).toISOString();
    const outcome = await deps.routing.reserve({
      agentId: actor.id,
      workId: choice.item.id,
      weight: choice.item.weight,
      capacity: member.live.capacity,
      offerId,
      at,
      offerExpiresAt,
      decision,
      seen: revisionOf(choice.item),
    });
    if (outcome !== 'agent_refused') skip.add(choice.item.id);
    if (outcome === 'reserved') {
      const offered: WorkRecord = { ...choice.item, status: 'offered', owner: actor.id, offerId, offeredAt: at, offerExpiresAt, decision };
      try {
        return await assignOffered(deps, offered, actor);
      } catch (error) {
        // The case moved on (resolved, assigned by hand) before its item left the backlog: give
        // the reservation back at once rather than let it lapse, and try the next item.
        if (!(error instanceof BusinessRuleError)) throw error;
        await deps.routing.release({
          agentId: actor.id,
          workId: offered.id,
          weight: offered.weight,
          at,
          reason: 'unrouted',
          requeue: false,
          offerId,
        });
        continue;
      }
    }
    if (outcome === 'agent_refused') {
      member = await deps.routing.getStaffMember(actor.id);
      if (!member || member.live.presence !== 'available') throw new BusinessRuleError('you are no longer available');
    }
  }
  return { work: null, reason: 'other agents kept taking the items first; try again' };
}
