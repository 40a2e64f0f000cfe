import { caseMetrics } from '#cases';
import { NotFoundError } from '#platform/domain/errors';
import { type CaseSla, elapsedMs, type MilestoneClock, stateOf, thresholdsOf } from '../domain/sla-clock.js';
import { SlaConfig } from '../domain/sla-config.js';
import { selectPolicy } from '../domain/sla-policy.js';
import type { SlaDeps } from './deps.js';

const MINUTE_MS = 60_000;

/** A clock as the API explains it: figures in the policy's business minutes, and every segment. */
function clockView(clock: MilestoneClock, nowMs: number, config: SlaConfig, timeScale: number) {
  const endedAt = clock.metAt ?? clock.stoppedAt;
  const elapsed = elapsedMs(clock, endedAt ? Date.parse(endedAt) : nowMs, config.lookup);
  const { target } = thresholdsOf(clock, { timeScale });
  // Under a demo time scale a business minute lasts 1/scale of a minute: report in the policy's minutes.
  const minutes = (ms: number) => Math.round(((ms * timeScale) / MINUTE_MS) * 100) / 100;
  return {
    milestone: clock.milestone,
    cycle: clock.cycle,
    state: stateOf(clock),
    policy: clock.policy,
    policyVersion: clock.policyVersion,
    targetMinutes: clock.targetMinutes,
    warningPercent: clock.warningPercent,
    startedAt: clock.startedAt,
    warningAt: clock.warningAt,
    dueAt: clock.dueAt,
    elapsedMinutes: minutes(elapsed),
    remainingMinutes: minutes(Math.max(0, target - elapsed)),
    warnedAt: clock.warnedAt,
    breachedAt: clock.breachedAt,
    escalationLevel: clock.escalationLevel,
    metAt: clock.metAt,
    stoppedAt: clock.stoppedAt,
    stopReason: clock.stopReason,
    segments: clock.segments.map((segment) => ({
      from: segment.from,
      to: segment.to,
      running: segment.running,
      status: segment.status,
      calendar: segment.calendar,
      calendarVersion: segment.calendarVersion,
      businessMinutes:
        segment.to === null
          ? minutes(segment.running ? elapsedMs({ ...clock, segments: [segment] }, nowMs, config.lookup) : 0)
          : minutes(segment.businessMs ?? 0),
    })),
  };
}

export type ClockView = ReturnType<typeof clockView>;

/**
 * A case's SLA as of now: per milestone its policy, target, due time, state, elapsed and remaining
 * business minutes and the segments they come from; earlier next-response cycles; and the case's
 * handling metrics.
 *
 * @throws NotFoundError
 */
export async function getCaseSla(deps: SlaDeps, input: { caseId: string }) {
  const [stored, { case: c, sla }] = await Promise.all([deps.sla.readConfig(), deps.sla.getCaseAndSla(input.caseId)]);
  if (!c) throw new NotFoundError('case', input.caseId);
  const config = new SlaConfig(stored);
  const now = deps.clock.now();
  const policy = selectPolicy(config.policies, c);
  const record: CaseSla | null = sla;
  return {
    caseId: c.id,
    caseNumber: c.number,
    policy: policy ? { name: policy.value.name, version: policy.version } : null,
    calendar: config.calendarNameFor(policy?.value ?? null, c.queue, deps.settings.queues),
    slaState: c.slaState,
    atRisk: record?.atRisk ?? null,
    /** Null until the SLA tracker has seen the case (moments after it opens). */
    tracking: record !== null,
    clocks: (record?.clocks ?? []).map((clock) => clockView(clock, now, config, deps.settings.timeScale)),
    history: (record?.history ?? []).map((clock) => clockView(clock, now, config, deps.settings.timeScale)),
    metrics: caseMetrics(c, now),
    timeScale: deps.settings.timeScale,
  };
}

export type CaseSlaView = Awaited<ReturnType<typeof getCaseSla>>;
