import { type Actor, actorHasRole, type Role } from '#platform/domain/actor';
import type { Case } from './case.js';

/**
 * Who sees which cases (`switchboard:agentCaseAccess`): `queues` (the default) lets an agent see
 * the cases of the queues they serve and the cases assigned to them; `all` lets every member of
 * staff see every case, for small teams.
 */
export const AGENT_CASE_ACCESS = ['queues', 'all'] as const;
export type AgentCaseAccess = (typeof AGENT_CASE_ACCESS)[number];

/** The roles that see every case whatever the setting. */
export const SEE_ALL_CASES_ROLES: readonly Role[] = ['supervisors', 'admins'];

/**
 * The caller as case visibility sees them: someone who sees every case, or an agent limited to
 * the queues they serve and the cases assigned to them.
 */
export type CaseViewer = { scope: 'all'; id: string } | { scope: 'queues'; id: string; queues: readonly string[] };

/**
 * The viewer an actor is. The system (intake, routing, timers), supervisors and admins see all;
 * an agent sees all only when the deployment says so.
 *
 * @param servedQueues the queues the agent's profile lists (empty when the agent has no profile)
 */
export function caseViewer(actor: Actor, servedQueues: readonly string[], access: AgentCaseAccess): CaseViewer {
  if (access === 'all' || actorHasRole(actor, SEE_ALL_CASES_ROLES)) return { scope: 'all', id: actor.id };
  return { scope: 'queues', id: actor.id, queues: [...servedQueues] };
}

/** Whether a viewer may see (and so change) a case. */
export function canSeeCase(viewer: CaseViewer, c: Pick<Case, 'queue' | 'assigneeId'>): boolean {
  if (viewer.scope === 'all') return true;
  return c.assigneeId === viewer.id || viewer.queues.includes(c.queue);
}

/** A viewer who sees everything: for triggers acting as the system. */
export const SEES_ALL: CaseViewer = { scope: 'all', id: 'system' };
