import type { Agent, Skill } from '../domain/agent.js';
import type { Role } from '#platform/domain/actor';
import { isoNow } from '#platform/domain/clock';
import { ValidationError } from '#platform/domain/errors';
import type { AgentWithLoad } from '../domain/agent-ports.js';
import type { AgentDeps } from './deps.js';

export interface AgentProfileInput {
  name: string;
  email: string;
  connectUsername?: string | null | undefined;
  roles: Role[];
  skills: Skill[];
  queues: string[];
  capacity: number;
}

/**
 * Creates or replaces a member of staff's profile (admins), keeping presence and live load.
 *
 * 1. Check the queues exist and no skill is listed twice.
 * 2. Keep the creation time and presence of an existing profile.
 * 3. Write the profile, and the live state's capacity, together.
 *
 * @throws ValidationError
 */
export async function putAgent(deps: AgentDeps, input: { id: string; profile: AgentProfileInput }): Promise<AgentWithLoad> {
  const unknownQueues = input.profile.queues.filter((queue) => !deps.settings.queues.some((known) => known.name === queue));
  const skillNames = input.profile.skills.map((skill) => skill.skill);
  const fields = [
    ...unknownQueues.map((queue) => ({ path: 'queues', message: `no queue named '${queue}'` })),
    ...skillNames
      .filter((name, i) => skillNames.indexOf(name) !== i)
      .map((name) => ({ path: 'skills', message: `skill '${name}' is listed twice` })),
  ];
  if (fields.length > 0) throw new ValidationError('the agent profile is not valid', fields);

  const existing = await deps.agents.getAgent(input.id);
  const now = isoNow(deps.clock);
  const agent: Agent = {
    id: input.id,
    username: input.id,
    name: input.profile.name,
    email: input.profile.email.trim().toLowerCase(),
    connectUsername: input.profile.connectUsername ?? null,
    roles: [...new Set(input.profile.roles)],
    skills: input.profile.skills,
    queues: [...new Set(input.profile.queues)],
    capacity: input.profile.capacity,
    presence: existing?.presence ?? 'offline',
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.agents.putAgent(agent);
  return { ...agent, load: existing?.load ?? 0 };
}
