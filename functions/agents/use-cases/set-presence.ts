import type { Presence } from '../domain/agent.js';
import { type Actor, actorHasRole } from '#platform/domain/actor';
import { isoNow } from '#platform/domain/clock';
import { ForbiddenError, NotFoundError } from '#platform/domain/errors';
import type { AgentWithLoad } from '../domain/agent-ports.js';
import type { AgentDeps } from './deps.js';

/**
 * Sets an agent's presence (`offline`, `available`, `away`, `busy`).
 *
 * 1. An agent sets their own presence; supervisors and admins set anyone's.
 * 2. Presence is written on the profile and on the live state routing reads, together.
 *
 * @throws ForbiddenError, NotFoundError
 */
export async function setPresence(deps: AgentDeps, input: { agentId: string; presence: Presence }, actor: Actor): Promise<AgentWithLoad> {
  if (actor.id !== input.agentId && !actorHasRole(actor, ['supervisors', 'admins'])) {
    throw new ForbiddenError('agents set their own presence; supervisors and admins set anyone’s');
  }
  const agent = await deps.agents.getAgent(input.agentId);
  if (!agent) throw new NotFoundError('agent', input.agentId);
  const at = isoNow(deps.clock);
  await deps.agents.setPresence(agent.id, input.presence, at);
  return { ...agent, presence: input.presence, updatedAt: at };
}
