import type { Channel } from '#cases';
import type { RoutingStep } from './routing-steps.js';

/**
 * How routing behaves: weights, steps per queue, and the clocks of offers and the backlog. The
 * deployment's configuration sets them (the demo scenario's are in lib/demo).
 */
export interface RoutingSettings {
  /** Capacity units an item of each channel takes from an agent's budget. */
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

/** Candidates recorded in a decision record by default; the rest are counted, so big teams keep it small. */
export const MAX_RECORDED_CANDIDATES = 50;

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
