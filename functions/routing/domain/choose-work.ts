import type { Agent } from '#agents';
import type { AgentLoad } from '#agents';
import type { Candidate, RoutingDecision } from './choose-agent.js';
import { judge } from './choose-agent.js';
import { requirementsOf, type RoutingStep, stepInForce } from './routing-steps.js';
import { compareBacklog, type SkillRequirement, type WorkItem, waitedSecondsOf } from './work-item.js';

/** The item an agent should get from a backlog, and how the agent stood against it. */
export interface WorkChoice<T extends WorkItem> {
  item: T;
  candidate: Candidate;
  step: { index: number; afterSeconds: number };
  requirements: SkillRequirement[];
  waitedSeconds: number;
}

/**
 * The best backlog item for one agent (a drain when the agent frees capacity, or a pull): the first
 * item in backlog order (priority, then age) that the agent serves and is eligible for under the
 * routing step that item has reached. Items the agent declined are skipped unless `includeDeclined`
 * (a pull: the agent asks for work themselves). Pure: the caller reserves and moves on when it loses.
 */
export function chooseWorkForAgent<T extends WorkItem>(
  agent: Agent,
  live: AgentLoad,
  backlog: readonly T[],
  now: number,
  stepsOf: (queue: string) => readonly RoutingStep[],
  options: { includeDeclined: boolean; skip?: ReadonlySet<string> },
): WorkChoice<T> | null {
  const ordered = [...backlog].sort(compareBacklog);
  for (const item of ordered) {
    if (options.skip?.has(item.id)) continue;
    if (!agent.queues.includes(item.queue)) continue;
    if (!options.includeDeclined && item.declinedBy.includes(agent.id)) continue;
    const waitedSeconds = waitedSecondsOf(item, now);
    const { index, step } = stepInForce(stepsOf(item.queue), waitedSeconds);
    const requirements = requirementsOf(item, step);
    const candidate = judge(agent, live, item, requirements, now);
    if (candidate.eligible) return { item, candidate, step: { index, afterSeconds: step.afterSeconds }, requirements, waitedSeconds };
  }
  return null;
}

/** The decision record of work one agent took from the backlog (a drain or a pull): one candidate. */
export function decisionOfChoice(choice: WorkChoice<WorkItem>, now: number, reason: string): RoutingDecision {
  return {
    itemId: choice.item.id,
    caseId: choice.item.caseId,
    at: new Date(now).toISOString(),
    step: { ...choice.step, requirements: choice.requirements },
    waitedSeconds: choice.waitedSeconds,
    candidates: [choice.candidate],
    winner: choice.candidate.agentId,
    reason,
  };
}
