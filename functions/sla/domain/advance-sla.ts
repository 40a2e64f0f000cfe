import type { Case, CaseStatus } from '#cases';
import { businessMillisBetween } from './business-calendar.js';
import {
  atRiskOf,
  type CaseSla,
  closeSegment,
  HISTORY_LIMIT,
  isOpen,
  type MilestoneClock,
  openSegment,
  reschedule,
  thresholdsOf,
} from './sla-clock.js';
import type { SlaConfig, SlaSettings } from './sla-config.js';
import { type Milestone, selectPolicy, type SlaPolicy, targetMinutesOf, type Versioned } from './sla-policy.js';

/** Whether a status lets the clocks run; terminal statuses end them. */
function clockModeOf(status: CaseStatus, policy: SlaPolicy | null): 'running' | 'paused' | 'ended' {
  if (status === 'resolved' || status === 'closed') return 'ended';
  if (status === 'pending' || status === 'quarantined') return 'paused';
  if (status === 'on_hold' && policy?.pauseOnHold) return 'paused';
  return 'running';
}

interface Situation {
  c: Case;
  policy: Versioned<SlaPolicy> | null;
  calendar: { name: string; version: number };
  mode: 'running' | 'paused' | 'ended';
  /** The instant the case's latest change happened: where segments split. */
  at: string;
  config: SlaConfig;
  settings: SlaSettings;
}

/**
 * Applies a new version of a case to its SLA record: starts, pauses, resumes, meets or stops each
 * milestone's clock, applies a changed policy's targets to the time already elapsed, and
 * recomputes the deadlines. Pure: the same record and case always give the same result. Segments
 * split at the case's own timestamps (`updatedAt`, `firstResponseAt`, `resolvedAt`), not at the time
 * the change is processed, so a late stream record does not bend the clock.
 *
 * @returns the new record, or null when the record already reflects this version or a later one
 *   (a repeated or late stream record) or nothing it keeps changed.
 */
export function advanceSla(record: CaseSla | null, c: Case, config: SlaConfig, settings: SlaSettings): CaseSla | null {
  if (record && record.caseVersion >= c.version) return null;
  const policy = selectPolicy(config.policies, c);
  const calendarName = config.calendarNameFor(policy?.value ?? null, c.queue, settings.queues);
  const situation: Situation = {
    c,
    policy,
    calendar: { name: calendarName, version: config.lookup(calendarName).version },
    mode: clockModeOf(c.status, policy?.value ?? null),
    at: record ? c.updatedAt : c.createdAt,
    config,
    settings,
  };

  const clocks: MilestoneClock[] = [];
  const history = [...(record?.history ?? [])];
  for (const milestone of ['first_response', 'next_response', 'resolution'] as const) {
    const current = record?.clocks.find((clock) => clock.milestone === milestone) ?? null;
    // A next-response cycle met at the reply is retired to the history: the next cycle counts on from it.
    const lastCycle = Math.max(
      0,
      ...[...(record?.clocks ?? []), ...history].filter((clock) => clock.milestone === milestone).map((clock) => clock.cycle),
    );
    const result = advanceMilestone(milestone, current, situation, record === null, lastCycle);
    if (result.retired) history.push(result.retired);
    if (result.clock) clocks.push(result.clock);
  }
  const next: CaseSla = {
    caseId: c.id,
    caseVersion: c.version,
    version: (record?.version ?? 0) + 1,
    case: { number: c.number, subject: c.subject, queue: c.queue, priority: c.priority, status: c.status, assigneeId: c.assigneeId },
    clocks,
    history: history.slice(-HISTORY_LIMIT),
    atRisk: atRiskOf(clocks),
    updatedAt: c.updatedAt,
  };
  if (record && sameContent(record, next)) return null;
  return next;
}

function sameContent(a: CaseSla, b: CaseSla): boolean {
  const strip = (record: CaseSla) => JSON.stringify({ ...record, caseVersion: 0, version: 0, updatedAt: '' });
  return strip(a) === strip(b);
}

function advanceMilestone(
  milestone: Milestone,
  current: MilestoneClock | null,
  s: Situation,
  firstSighting: boolean,
  lastCycle: number,
): { clock: MilestoneClock | null; retired?: MilestoneClock } {
  const { c } = s;
  if (milestone === 'next_response') {
    const awaiting = c.firstResponseAt !== null ? c.awaitingResponseSince : null;
    if (current && isOpen(current) && current.startedAt !== awaiting) {
      // The message that started this cycle was answered (or a newer cycle began): meet it at the reply.
      const met = meet(current, c.metrics.lastResponseAt ?? s.at, s);
      const started = awaiting === null ? null : startClock(milestone, current.cycle + 1, awaiting, s);
      return { clock: started ? follow(started, s) : null, retired: met };
    }
    if (!current || !isOpen(current)) {
      if (awaiting === null) return { clock: current };
      const started = startClock(milestone, (current?.cycle ?? lastCycle) + 1, awaiting, s);
      return { clock: started ? follow(started, s) : null, ...(current ? { retired: current } : {}) };
    }
    if (s.mode === 'ended')
      return { clock: stop(current, c.resolvedAt ?? c.closedAt ?? s.at, 'the case ended before the customer’s message was answered', s) };
    return { clock: follow(current, s) };
  }

  if (milestone === 'first_response') {
    let clock = current ?? startClock(milestone, 1, c.createdAt, s, firstSighting);
    if (!clock || !isOpen(clock)) return { clock };
    if (c.firstResponseAt !== null) return { clock: meet(clock, c.firstResponseAt, s) };
    if (s.mode === 'ended')
      return { clock: stop(clock, c.resolvedAt ?? c.closedAt ?? s.at, 'the case ended without a reply to the customer', s) };
    clock = follow(clock, s);
    return { clock };
  }

  // Resolution: met when the case is resolved or closed; a reopened case resumes the same clock.
  let clock = current ?? startClock(milestone, 1, c.createdAt, s, firstSighting);
  if (!clock) return { clock: null };
  if (s.mode === 'ended') return { clock: isOpen(clock) ? meet(clock, c.resolvedAt ?? c.closedAt ?? s.at, s) : clock };
  if (clock.metAt !== null) {
    clock = { ...clock, cycle: clock.cycle + 1, metAt: null, generation: clock.generation + 1 };
  }
  if (clock.stoppedAt !== null) return { clock };
  return { clock: follow(clock, s) };
}

/**
 * A new clock for a milestone under the case's policy, or null when the policy sets no target. A
 * case first seen after its creation (the SLA stack was deployed later) is assumed to have run
 * until its last status change.
 */
function startClock(milestone: Milestone, cycle: number, startedAt: string, s: Situation, assumeHistory = false): MilestoneClock | null {
  const policy = s.policy;
  const target = policy ? targetMinutesOf(policy.value, milestone) : null;
  if (!policy || target === null) return null;
  const segments: MilestoneClock['segments'] = [];
  const changedAt = s.c.statusChangedAt;
  if (assumeHistory && s.c.version > 1 && changedAt > startedAt) {
    const { calendar, version } = s.config.lookup(s.calendar.name);
    const businessMs = businessMillisBetween(calendar, Date.parse(startedAt), Date.parse(changedAt));
    segments.push({
      from: startedAt,
      to: changedAt,
      running: true,
      status: 'open',
      calendar: s.calendar.name,
      calendarVersion: version,
      businessMs,
    });
  }
  const clock: MilestoneClock = {
    ...emptyClock(milestone, cycle, startedAt, policy.value, target),
    policyVersion: policy.version,
    segments,
  };
  return clock;
}

function emptyClock(milestone: Milestone, cycle: number, startedAt: string, policy: SlaPolicy, target: number): MilestoneClock {
  return {
    milestone,
    cycle,
    generation: 0,
    policy: policy.name,
    policyVersion: 0,
    targetMinutes: target,
    warningPercent: policy.warningPercent,
    secondLevelAfterMinutes: policy.secondLevelAfterMinutes,
    startedAt,
    segments: [],
    warningAt: null,
    dueAt: null,
    secondLevelAt: null,
    wakeAt: null,
    metAt: null,
    stoppedAt: null,
    stopReason: null,
    warnedAt: null,
    breachedAt: null,
    escalationLevel: 0,
  };
}

/**
 * Brings an open clock in line with the case: the policy's current target (applied to the time
 * already elapsed), and a new segment when the clock starts, pauses, resumes or changes calendar.
 * Any change moves the clock to a new generation with a recomputed deadline.
 */
function follow(clock: MilestoneClock, s: Situation): MilestoneClock {
  // A breached clock keeps the policy it breached under: the escalation itself raises the priority,
  // and re-targeting then would move the second level (or undo the breach) under the escalation.
  const breached = clock.breachedAt !== null;
  const target = breached ? clock.targetMinutes : s.policy ? targetMinutesOf(s.policy.value, clock.milestone) : null;
  if (!breached && (!s.policy || target === null)) return stop(clock, s.at, 'the case’s SLA policy no longer sets this target', s);
  let next: MilestoneClock =
    breached || !s.policy || target === null
      ? clock
      : {
          ...clock,
          policy: s.policy.value.name,
          policyVersion: s.policy.version,
          targetMinutes: target,
          warningPercent: s.policy.value.warningPercent,
          secondLevelAfterMinutes: s.policy.value.secondLevelAfterMinutes,
        };
  const running = s.mode === 'running';
  const open = openSegment(next);
  const segmentChanged =
    !open || open.running !== running || open.calendar !== s.calendar.name || open.calendarVersion !== s.calendar.version;
  if (segmentChanged) {
    // Without a segment in progress (reopened, or first seen after its history) the clock goes on
    // from now, never from before the last finished segment: that time is already counted.
    const last = next.segments.at(-1)?.to ?? null;
    const from = open ? (s.at < open.from ? open.from : s.at) : last !== null ? (s.at < last ? last : s.at) : next.startedAt;
    next = closeSegment(next, from, s.config.lookup);
    next = {
      ...next,
      segments: [
        ...next.segments,
        { from, to: null, running, status: s.c.status, calendar: s.calendar.name, calendarVersion: s.calendar.version, businessMs: null },
      ],
    };
  }
  const policyChanged =
    next.policy !== clock.policy ||
    next.policyVersion !== clock.policyVersion ||
    next.targetMinutes !== clock.targetMinutes ||
    next.warningPercent !== clock.warningPercent ||
    next.secondLevelAfterMinutes !== clock.secondLevelAfterMinutes;
  if (!segmentChanged && !policyChanged && clock.segments.length > 0) return clock;
  // Instants kept from the old target would be wrong under a new one: recompute them from the segments.
  if (policyChanged) next = { ...next, warningAt: null, dueAt: null, secondLevelAt: null };
  return reschedule({ ...next, generation: next.generation + 1 }, s.config.lookup, s.settings);
}

/**
 * Ends a clock as met at `at`; met after its target, it records the breach without escalating
 * (the escalation level stays as it was: nothing was acted on, and a reopened clock must not
 * jump to a second level for a first one that never happened).
 */
function meet(clock: MilestoneClock, at: string, s: Situation): MilestoneClock {
  const closed = closeSegment(clock, at, s.config.lookup);
  const spent = closed.segments.reduce((sum, segment) => sum + (segment.businessMs ?? 0), 0);
  const late = spent >= thresholdsOf(clock, s.settings).target;
  const scheduled = reschedule(closed, s.config.lookup, s.settings);
  return {
    ...scheduled,
    metAt: at,
    wakeAt: null,
    generation: clock.generation + 1,
    breachedAt: clock.breachedAt ?? (late ? (scheduled.dueAt ?? at) : null),
  };
}

function stop(clock: MilestoneClock, at: string, reason: string, s: Situation): MilestoneClock {
  const closed = closeSegment(clock, at, s.config.lookup);
  return { ...closed, stoppedAt: at, stopReason: reason, wakeAt: null, generation: clock.generation + 1 };
}
