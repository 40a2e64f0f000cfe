import type { Case, CaseStatus } from '#cases';
import type { RoutingSettings } from './routing-settings.js';
import type { WorkItem } from './work-item.js';

/** Statuses in which a case without an assignee waits for an agent. */
const ROUTABLE_STATUSES: readonly CaseStatus[] = ['new', 'open'];

/**
 * A case needs an agent while it is new or open with nobody assigned, and no call of it is being
 * routed by Amazon Connect (`connectCallInProgress`, set while the call lasts: Connect routes it to
 * an agent of its queues, so Switchboard's router must not offer the case to someone else
 * meanwhile; the contact's end clears it, `endCallOnCase`). Pending and on-hold cases wait on
 * someone else; resolved, closed and quarantined ones on nobody.
 */
export function needsAgent(c: Pick<Case, 'status' | 'assigneeId'> & Partial<Pick<Case, 'connectCallInProgress'>>): boolean {
  return ROUTABLE_STATUSES.includes(c.status) && c.assigneeId === null && c.connectCallInProgress !== true;
}

/**
 * The work item of a case: its id is the case's id (one item per case, reused each time the case
 * needs an agent again), its weight comes from the channel, its required skills from the case's
 * language and category.
 */
export function workItemForCase(c: Case, settings: RoutingSettings, enqueuedAt: string): WorkItem {
  return {
    id: c.id,
    caseId: c.id,
    queue: c.queue,
    channel: c.channel,
    weight: settings.channelWeights[c.channel],
    language: c.language,
    topic: c.category,
    priority: c.priority,
    enqueuedAt,
    declinedBy: [],
  };
}
