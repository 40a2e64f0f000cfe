import { ValidationError } from '#platform/domain/errors';
import type { SlaDeps } from './deps.js';

/** At most this many cases per answer: a supervisor's screen, not an export. */
const AT_RISK_LIMIT = 100;

/**
 * Cases whose SLA is in warning or breached, most urgent (earliest due, so the longest-breached)
 * first: of one queue, or of every queue (one indexed query each, merged).
 *
 * @throws ValidationError for an unknown queue
 */
export async function listAtRisk(deps: SlaDeps, input: { queue?: string | undefined }) {
  const names = deps.settings.queues.map((queue) => queue.name);
  if (input.queue !== undefined && !names.includes(input.queue)) {
    throw new ValidationError('unknown queue', [{ path: 'queue', message: `no queue named '${input.queue}'` }]);
  }
  const queues = input.queue === undefined ? names : [input.queue];
  const pages = await Promise.all(queues.map((queue) => deps.sla.listAtRisk(queue, AT_RISK_LIMIT)));
  const now = deps.clock.now();
  return pages
    .flat()
    .filter((record) => record.atRisk !== null)
    .sort((a, b) => (a.atRisk!.dueAt < b.atRisk!.dueAt ? -1 : a.atRisk!.dueAt > b.atRisk!.dueAt ? 1 : a.caseId.localeCompare(b.caseId)))
    .slice(0, AT_RISK_LIMIT)
    .map((record) => ({
      caseId: record.caseId,
      caseNumber: record.case.number,
      subject: record.case.subject,
      queue: record.case.queue,
      priority: record.case.priority,
      status: record.case.status,
      assigneeId: record.case.assigneeId,
      state: record.atRisk!.state,
      milestone: record.atRisk!.milestone,
      dueAt: record.atRisk!.dueAt,
      /** Negative once overdue; in the policy's minutes, like every SLA figure (see the time scale). */
      minutesToDue: Math.round(((Date.parse(record.atRisk!.dueAt) - now) * deps.settings.timeScale) / 600) / 100,
    }));
}
