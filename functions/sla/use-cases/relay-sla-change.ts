import { type CaseSla, executionNameOf, type MilestoneClock } from '../domain/sla-clock.js';
import type { SlaEvent } from '../domain/sla-ports.js';
import type { SlaRelayDeps } from './deps.js';

/**
 * Turns a change of an SLA record (from the cases table stream: the record is the outbox) into
 * timer starts and stops and SLA events.
 *
 * 1. A clock in a new generation (or cycle) with a wake-up gets a timer named after it; starting
 *    the same name twice is harmless, so a redelivered record starts nothing new.
 * 2. The timer of the clock's previous generation is stopped (it would end by itself at its next
 *    wake-up, told it is stale, but stopping it saves its remaining state transitions).
 * 3. Thresholds newly recorded become events: `sla.warning`, `sla.breached` (level 1, level 2, or
 *    0 for a clock met after its target), and `sla.met` for a clock met in time.
 */
export async function relaySlaChange(
  deps: SlaRelayDeps,
  input: { before: CaseSla | null; after: CaseSla },
): Promise<{ started: number; stopped: number; events: number }> {
  const { before, after } = input;
  const previous = (clock: MilestoneClock) => before?.clocks.find((candidate) => candidate.milestone === clock.milestone) ?? null;
  let started = 0;
  const stoppedNames = new Set<string>();
  const stopTimer = async (clock: MilestoneClock) => {
    const name = executionNameOf(after.caseId, clock);
    if (stoppedNames.has(name)) return;
    stoppedNames.add(name);
    await deps.timers.stop(name);
  };
  const events: SlaEvent[] = [];
  for (const clock of after.clocks) {
    const old = previous(clock);
    const moved = !old || old.generation !== clock.generation || old.cycle !== clock.cycle;
    if (moved && clock.wakeAt !== null) {
      await deps.timers.start(executionNameOf(after.caseId, clock), {
        caseId: after.caseId,
        milestone: clock.milestone,
        cycle: clock.cycle,
        generation: clock.generation,
        wakeAt: clock.wakeAt,
      });
      started++;
    }
    if (moved && old && old.wakeAt !== null) await stopTimer(old);
    events.push(...eventsOf(after, old, clock));
  }
  // A next-response cycle retired into the history: its timer stops, and its ending is told.
  for (const old of before?.clocks ?? []) {
    const retired = after.history.find((clock) => clock.milestone === old.milestone && clock.cycle === old.cycle);
    if (!retired || after.clocks.some((clock) => clock.milestone === old.milestone && clock.cycle === old.cycle)) continue;
    if (old.wakeAt !== null) await stopTimer(old);
    events.push(...eventsOf(after, old, retired));
  }
  if (events.length > 0) await deps.events.publish(events);
  return { started, stopped: stoppedNames.size, events: events.length };
}

/** The events a clock's change implies (nothing for a change that recorded nothing new). */
function eventsOf(record: CaseSla, before: MilestoneClock | null, after: MilestoneClock): SlaEvent[] {
  const base = {
    caseId: record.caseId,
    caseNumber: record.case.number,
    queue: record.case.queue,
    priority: record.case.priority,
    milestone: after.milestone,
    cycle: after.cycle,
    policy: after.policy,
    dueAt: after.dueAt,
  };
  const events: SlaEvent[] = [];
  if (after.warnedAt !== null && (before?.warnedAt ?? null) === null && after.breachedAt === null) {
    events.push({ ...base, type: 'sla.warning', at: after.warnedAt });
  }
  if (after.breachedAt !== null && (before?.breachedAt ?? null) === null) {
    events.push({ ...base, type: 'sla.breached', at: after.breachedAt, level: after.metAt !== null ? 0 : 1 });
  }
  if (after.escalationLevel === 2 && (before?.escalationLevel ?? 0) < 2) {
    events.push({ ...base, type: 'sla.breached', at: after.secondLevelAt ?? after.breachedAt ?? record.updatedAt, level: 2 });
  }
  if (after.metAt !== null && (before?.metAt ?? null) === null && after.breachedAt === null) {
    events.push({ ...base, type: 'sla.met', at: after.metAt });
  }
  return events;
}
