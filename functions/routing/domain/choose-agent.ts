import type { Agent, AgentLoad } from '#agents';
import { requirementsOf, type RoutingStep, stepInForce } from './routing-steps.js';
import { type SkillRequirement, type WorkItem, waitedSecondsOf } from './work-item.js';

/** One agent as the decision weighed them. */
export interface Candidate {
  agentId: string;
  skills: { skill: string; level: number }[];
  load: number;
  capacity: number;
  remaining: number;
  idleSeconds: number;
  eligible: boolean;
  /** Why the agent could not take the item (empty when eligible). */
  excludedBecause: string[];
  declinedBefore: boolean;
}

export interface ChooseOptions {
  /** Agents not to offer the item to at all this time (decliners, right after they declined). */
  exclude?: readonly string[];
}

/** Why an item went to whom: every candidate considered, the step in force, and the winner's reason. */
export interface RoutingDecision {
  itemId: string;
  caseId: string;
  at: string;
  step: { index: number; afterSeconds: number; requirements: SkillRequirement[] };
  waitedSeconds: number;
  candidates: Candidate[];
  winner: string | null;
  reason: string;
  /** Candidates left out of a recorded decision to keep it small (they ranked below the ones kept). */
  omittedCandidates?: number;
}

/**
 * Chooses the agent for a work item: among available agents of the item's queue who meet the
 * current step's skill levels and have room for its weight, the one with the most remaining
 * capacity, then the longest idle, then the smallest id, so any router decides the same way.
 * Agents who declined the item come only after everyone else. Pure: the caller reserves the
 * winner atomically and tries the next candidate if the reservation loses a race.
 */
export function chooseAgent(
  item: WorkItem,
  agents: readonly Agent[],
  loads: ReadonlyMap<string, AgentLoad>,
  now: number,
  steps: readonly RoutingStep[],
  options: ChooseOptions = {},
): RoutingDecision {
  const waitedSeconds = waitedSecondsOf(item, now);
  const { index, step } = stepInForce(steps, waitedSeconds);
  const requirements = requirementsOf(item, step);

  const candidates = agents
    .filter((agent) => agent.queues.includes(item.queue))
    .map((agent) => judge(agent, loads.get(agent.id), item, requirements, now, options.exclude ?? []))
    .sort(rank);
  const winner = candidates.find((candidate) => candidate.eligible) ?? null;
  return {
    itemId: item.id,
    caseId: item.caseId,
    at: new Date(now).toISOString(),
    step: { index, afterSeconds: step.afterSeconds, requirements },
    waitedSeconds,
    candidates,
    winner: winner?.agentId ?? null,
    reason: explain(winner, candidates),
  };
}

/** How one agent stands against an item under the step's requirements (pure, also used by drains). */
export function judge(
  agent: Agent,
  live: AgentLoad | undefined,
  item: WorkItem,
  requirements: SkillRequirement[],
  now: number,
  exclude: readonly string[] = [],
): Candidate {
  const load = live?.load ?? 0;
  const capacity = live?.capacity ?? agent.capacity;
  const presence = live?.presence ?? agent.presence;
  const excludedBecause: string[] = [];
  if (presence !== 'available') excludedBecause.push(`presence ${presence}`);
  for (const requirement of requirements) {
    const level = agent.skills.find((skill) => skill.skill === requirement.skill)?.level ?? 0;
    if (level < requirement.minLevel) excludedBecause.push(`${requirement.skill} ${level} < ${requirement.minLevel}`);
  }
  if (capacity - load < item.weight) excludedBecause.push(`room ${capacity - load} < weight ${item.weight}`);
  if (exclude.includes(agent.id)) excludedBecause.push('declined this item just now');
  const idleSince = live?.idleSince ? Date.parse(live.idleSince) : null;
  return {
    agentId: agent.id,
    skills: agent.skills,
    load,
    capacity,
    remaining: capacity - load,
    idleSeconds: idleSince === null ? 0 : Math.max(0, Math.floor((now - idleSince) / 1000)),
    eligible: excludedBecause.length === 0,
    excludedBecause,
    declinedBefore: item.declinedBy.includes(agent.id),
  };
}

/** Eligible first, decliners after everyone else, then most room, longest idle, smallest id. */
function rank(a: Candidate, b: Candidate): number {
  return (
    Number(b.eligible) - Number(a.eligible) ||
    Number(a.declinedBefore) - Number(b.declinedBefore) ||
    b.remaining - a.remaining ||
    b.idleSeconds - a.idleSeconds ||
    a.agentId.localeCompare(b.agentId)
  );
}

function explain(winner: Candidate | null, candidates: Candidate[]): string {
  if (!winner) {
    return candidates.length === 0
      ? 'no agent serves this queue'
      : 'no agent is available with the skills and room: the item waits in the backlog';
  }
  const runnerUp = candidates.find((candidate) => candidate.eligible && candidate !== winner);
  if (!runnerUp) return `${winner.agentId} is the only eligible agent${winner.declinedBefore ? ' (declined it before)' : ''}`;
  if (winner.declinedBefore === runnerUp.declinedBefore && winner.remaining !== runnerUp.remaining) {
    return `${winner.agentId} has the most room (${winner.remaining} of ${winner.capacity}; next ${runnerUp.agentId} with ${runnerUp.remaining})`;
  }
  if (winner.declinedBefore !== runnerUp.declinedBefore) return `${winner.agentId} has not declined this item; ${runnerUp.agentId} has`;
  if (winner.idleSeconds !== runnerUp.idleSeconds) {
    return `${winner.agentId} ties on room (${winner.remaining}) and has been idle longest (${winner.idleSeconds} s; next ${runnerUp.idleSeconds} s)`;
  }
  return `${winner.agentId} ties on room and idle time with ${runnerUp.agentId} and comes first by id`;
}
