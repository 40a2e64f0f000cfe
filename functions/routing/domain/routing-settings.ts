import type { Channel } from '#cases';
import { DEFAULT_ROUTING_STEPS, type RoutingStep } from './routing-steps.js';
import { DEFAULT_CHANNEL_WEIGHTS } from './work-item.js';

/** How routing behaves: weights, steps per queue, and the clocks of offers and the backlog. */
export interface RoutingSettings {
  channelWeights: Readonly<Record<Channel, number>>;
  /** Routing steps by queue name; queues not named use `defaultSteps`. */
  stepsByQueue: Readonly<Record<string, readonly RoutingStep[]>>;
  defaultSteps: readonly RoutingStep[];
  /** Seconds an agent has to accept an offer before it goes to someone else. */
  offerTimeoutSeconds: number;
  /**
   * Seconds after which a waiting item is looked at again even if nothing freed capacity: the
   * safety net behind the drains (a trigger lost to an index not yet updated), and the moment a
   * later routing step relaxes the requirements when no step boundary comes sooner.
   */
  backlogRecheckSeconds: number;
  /** Candidates recorded in a decision record; the rest are counted, so big teams keep it small. */
  maxRecordedCandidates: number;
}

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = {
  channelWeights: DEFAULT_CHANNEL_WEIGHTS,
  stepsByQueue: {},
  defaultSteps: DEFAULT_ROUTING_STEPS,
  offerTimeoutSeconds: 30,
  backlogRecheckSeconds: 60,
  maxRecordedCandidates: 50,
};

export function stepsOf(settings: RoutingSettings, queue: string): readonly RoutingStep[] {
  return settings.stepsByQueue[queue] ?? settings.defaultSteps;
}

/**
 * Seconds until a waiting item should be looked at again: the next routing step's start if it
 * comes before the recheck interval, else the interval. SQS delays messages by at most 900 s.
 */
export function secondsUntilRecheck(settings: RoutingSettings, queue: string, waitedSeconds: number): number {
  const nextStep = stepsOf(settings, queue).find((step) => step.afterSeconds > waitedSeconds);
  const untilStep = nextStep ? nextStep.afterSeconds - waitedSeconds : Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(untilStep, settings.backlogRecheckSeconds, 900));
}
