import type { Case, Channel, Priority } from '#cases';
import type { Tier } from '#customers';

/** The clocks an SLA keeps per case. */
export const MILESTONES = ['first_response', 'next_response', 'resolution'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Targets in business minutes (time within the calendar's opening hours); null = not tracked. */
export interface SlaTargets {
  firstResponseMinutes: number | null;
  /** After each customer message that follows an agent's reply. */
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
}

/** Which cases a policy applies to: each listed field must match; an empty or absent list matches anything. */
export interface SlaPolicyMatch {
  priorities?: Priority[] | undefined;
  categories?: string[] | undefined;
  channels?: Channel[] | undefined;
  queues?: string[] | undefined;
  tiers?: Tier[] | undefined;
}

/** An SLA policy: which cases it covers, its targets, and what its clocks do. */
export interface SlaPolicy {
  /** `[a-z0-9-]`, the policy's identity in the API. */
  name: string;
  description: string;
  /** Policies are tried in rank order (lowest first); the first that matches a case applies. */
  rank: number;
  enabled: boolean;
  match: SlaPolicyMatch;
  targets: SlaTargets;
  /** Share of a target after which the clock warns, in percent (1–99). */
  warningPercent: number;
  /** Whether `on_hold` (waiting on a third party) stops the clocks like `pending` does. */
  pauseOnHold: boolean;
  /** The business-hours calendar; null = the calendar of the case's queue. */
  calendar: string | null;
  /** A second escalation this many business minutes after the breach; null = one level only. */
  secondLevelAfterMinutes: number | null;
}

/** A stored configuration document with its edit history counter. */
export interface Versioned<T> {
  value: T;
  /** 0 for a built-in default nobody edited; 1 for the first stored version, then +1 per edit. */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** What a case offers a policy's rules. */
export type PolicySubject = Pick<Case, 'priority' | 'category' | 'channel' | 'queue'> & { customer: Pick<Case['customer'], 'tier'> };

function listed<T>(list: readonly T[] | undefined, value: T | null): boolean {
  return !list || list.length === 0 || (value !== null && list.includes(value));
}

/** True when every rule of the policy holds for the case. */
export function policyMatches(policy: SlaPolicy, c: PolicySubject): boolean {
  const { match } = policy;
  return (
    listed(match.priorities, c.priority) &&
    listed(match.categories, c.category) &&
    listed(match.channels, c.channel) &&
    listed(match.queues, c.queue) &&
    listed(match.tiers, c.customer.tier)
  );
}

/**
 * The policy that applies to a case: the enabled policy of lowest rank whose rules match (names
 * break ties), or null when none does.
 */
export function selectPolicy<P extends { value: SlaPolicy }>(policies: readonly P[], c: PolicySubject): P | null {
  const ordered = policies
    .filter((policy) => policy.value.enabled)
    .sort((a, b) => a.value.rank - b.value.rank || a.value.name.localeCompare(b.value.name));
  return ordered.find((policy) => policyMatches(policy.value, c)) ?? null;
}

/** The target of one milestone under a policy, in business minutes, or null when not tracked. */
export function targetMinutesOf(policy: SlaPolicy, milestone: Milestone): number | null {
  switch (milestone) {
    case 'first_response':
      return policy.targets.firstResponseMinutes;
    case 'next_response':
      return policy.targets.nextResponseMinutes;
    case 'resolution':
      return policy.targets.resolutionMinutes;
  }
}

/**
 * Problems of a policy beyond its shape (empty when valid): at least one target, a calendar that
 * exists, queues that exist. Paths as the API's body fields.
 */
export function policyIssues(
  policy: SlaPolicy,
  known: { calendars: readonly string[]; queues: readonly string[] },
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const { targets } = policy;
  if (targets.firstResponseMinutes === null && targets.nextResponseMinutes === null && targets.resolutionMinutes === null) {
    issues.push({ path: 'targets', message: 'set at least one target' });
  }
  if (policy.calendar !== null && !known.calendars.includes(policy.calendar)) {
    issues.push({ path: 'calendar', message: `no calendar named '${policy.calendar}' (known: ${known.calendars.join(', ')})` });
  }
  (policy.match.queues ?? []).forEach((queue, index) => {
    if (!known.queues.includes(queue)) issues.push({ path: `match.queues[${index}]`, message: `no queue named '${queue}'` });
  });
  return issues;
}
