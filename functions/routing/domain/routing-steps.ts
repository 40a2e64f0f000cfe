import type { SkillRequirement, WorkItem } from './work-item.js';

/**
 * One step of a queue's routing, in force from `afterSeconds` of waiting on: the minimum levels
 * of the item's language and topic skills, or `null` to stop asking for that skill. Relaxing
 * over time is how Amazon Connect's routing steps and Service Cloud's skills-based routing keep a
 * case from waiting for a perfect match that is not there.
 */
export interface RoutingStep {
  afterSeconds: number;
  languageMinLevel: number | null;
  topicMinLevel: number | null;
}

/** The step in force for an item that has waited `waitedSeconds` (the latest one it has reached). */
export function stepInForce(steps: readonly RoutingStep[], waitedSeconds: number): { index: number; step: RoutingStep } {
  let index = 0;
  steps.forEach((step, i) => {
    if (step.afterSeconds <= waitedSeconds) index = i;
  });
  return { index, step: steps[index] as RoutingStep };
}

/** The skills a step requires of an item: its language and topic, where the step still asks for them. */
export function requirementsOf(item: WorkItem, step: RoutingStep): SkillRequirement[] {
  const required: SkillRequirement[] = [];
  if (item.language && step.languageMinLevel !== null) required.push({ skill: item.language, minLevel: step.languageMinLevel });
  if (item.topic && step.topicMinLevel !== null) required.push({ skill: item.topic, minLevel: step.topicMinLevel });
  return required;
}
