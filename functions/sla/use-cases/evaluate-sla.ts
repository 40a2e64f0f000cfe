import type { Agent } from '#agents';
import type { Case } from '#cases';
import { diffCase, type TimelineEntry } from '#cases';
import { type CaseMessage, queuedEmail } from '#cases';
import { senderAddressOf } from '#email';
import { ContentionError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { escalatedCase, escalationRecipients, milestoneLabel } from '../domain/escalation.js';
import { type SlaAction, evaluateClock, type TimerTurn } from '../domain/evaluate-clock.js';
import { SlaConfig } from '../domain/sla-config.js';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import { type SlaEscalationDeps } from './deps.js';

/** What the timer does next: wait until `wakeAt` and evaluate again, or end. */
export type TimerStep = { action: 'wait'; wakeAt: string } | { action: 'end'; reason: string };

const SYSTEM = { kind: 'system', id: 'sla' } as const;

/**
 * A clock's timer woke: evaluate the clock and act on what it crossed, once.
 *
 * 1. Read the case with its SLA record, and the SLA configuration; evaluate the clock at now
 *    (`evaluateClock`). A timer of an older generation, or of a met clock, ends.
 * 2. Warning: flag the case. Breach: escalate the case (priority up, to the escalation queue,
 *    unassigned for routing to offer it to a supervisor) and queue a notice to the supervisors.
 *    Second level: priority up again, another notice.
 * 3. Commit the record, the case change, its audit entries and the notices in one transaction,
 *    only if neither the record nor the case changed meanwhile: whoever loses re-reads, sees the
 *    threshold already recorded, and does nothing. That is what makes escalation exactly once.
 *    The record's stream then publishes `sla.*` events.
 */
export async function evaluateSla(deps: SlaEscalationDeps, turn: TimerTurn): Promise<TimerStep> {
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const [stored, { case: c, sla }] = await Promise.all([deps.sla.readConfig(), deps.sla.getCaseAndSla(turn.caseId)]);
    const evaluation = evaluateClock(sla, turn, deps.clock.now(), new SlaConfig(stored), deps.settings);
    if (evaluation.kind === 'stale') return { action: 'end', reason: evaluation.reason };
    const step: TimerStep =
      evaluation.kind === 'wait' ? { action: 'wait', wakeAt: evaluation.wakeAt } : { action: 'end', reason: 'nothing left to wait for' };
    if (!evaluation.record || !sla) return step;

    const caseChange = c ? await caseChangeFor(deps, c, evaluation.actions) : null;
    try {
      await deps.sla.commitSla({
        sla: evaluation.record,
        expectedVersion: sla.version,
        caseChange: caseChange ? { case: caseChange.case, expectedVersion: c!.version, timeline: caseChange.timeline } : undefined,
        messages: caseChange?.messages,
      });
      return step;
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError('the case kept changing while its SLA was evaluated; the timer retries');
}

async function caseChangeFor(
  deps: SlaEscalationDeps,
  current: Case,
  actions: readonly SlaAction[],
): Promise<{ case: Case; timeline: TimelineEntry[]; messages: CaseMessage[] } | null> {
  const at = new Date(deps.clock.now()).toISOString();
  let next: Case = current;
  const timeline: TimelineEntry[] = [];
  const messages: CaseMessage[] = [];
  // Read only on a breach, and once even when a breach and its second level come together.
  let staff: Promise<Agent[]> | null = null;
  const staffOnce = () => (staff ??= deps.agents.listAgents());
  for (const action of actions) {
    const before = next;
    if (action.kind === 'warning') {
      if (next.slaState === null) next = { ...next, slaState: 'warning' };
      timeline.push(
        entry(deps, current.id, at, 'sla.warning', diffCase(before, next), {
          milestone: action.milestone,
          warnedAt: action.at,
          dueAt: action.dueAt,
        }),
      );
      continue;
    }
    next = escalatedCase(next, action.level, deps.settings.queues);
    timeline.push(
      entry(deps, current.id, at, action.level === 1 ? 'sla.breached' : 'sla.escalated', diffCase(before, next), {
        milestone: action.milestone,
        level: action.level,
        breachedAt: action.at,
        previousAssignee: before.assigneeId,
      }),
    );
    messages.push(...escalationNotices(deps, await staffOnce(), before, next, action, at));
  }
  if (timeline.length === 0) return null;
  return { case: { ...next, version: current.version + 1, updatedAt: at }, timeline, messages };
}

function entry(
  deps: SlaEscalationDeps,
  caseId: string,
  at: string,
  action: string,
  changes: TimelineEntry['changes'],
  data: Record<string, unknown>,
): TimelineEntry {
  return { id: deps.ids.newId(), caseId, at, actor: SYSTEM, action, changes, data };
}

/** One email per breach to the supervisors who serve the case's queues, through the outbox. */
function escalationNotices(
  deps: SlaEscalationDeps,
  staff: readonly Agent[],
  before: Case,
  after: Case,
  action: Extract<SlaAction, { kind: 'breach' }>,
  at: string,
): CaseMessage[] {
  const recipients = escalationRecipients(staff, [...new Set([before.queue, after.queue])]).map((member) => member.email);
  if (recipients.length === 0) return [];
  const id = deps.ids.newId();
  const label = milestoneLabel(action.milestone);
  const lines = [
    `The ${label} target of case ${after.number} was breached at ${action.at}${action.level === 2 ? ' and the breach has lasted past the second escalation level' : ''}.`,
    '',
    `Subject: ${after.subject}`,
    `Customer: ${after.customer.name ?? after.customer.email ?? after.customer.phone ?? after.customerId} (${after.customer.tier})`,
    `Priority: ${before.priority} → ${after.priority}`,
    `Queue: ${before.queue}${after.queue !== before.queue ? ` → ${after.queue}` : ''}`,
    `Previous assignee: ${before.assigneeId ?? 'nobody'}`,
    '',
    `The case: GET /cases/${after.id}  ·  its SLA: GET /cases/${after.id}/sla`,
  ];
  return [
    queuedEmail({
      id,
      caseId: after.id,
      kind: 'notification',
      from: senderAddressOf(deps.mailSettings, after.queue),
      fromName: deps.mailSettings.senderName,
      to: recipients,
      subject: `[${after.number}] SLA breached${action.level === 2 ? ' (level 2)' : ''}: ${label} — ${after.subject}`.slice(0, 998),
      text: lines.join('\n'),
      messageId: `<${id.toLowerCase()}.sla.${after.number.toLowerCase()}@${deps.mailSettings.domain}>`,
      threading: 'notification',
      automation: `sla escalation level ${action.level}`,
      createdAt: at,
    }),
  ];
}
