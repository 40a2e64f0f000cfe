import type { Role } from '#platform/domain/actor';

/** A skill an agent has, with a level from 1 (basic) to 10 (expert). */
export interface Skill {
  skill: string;
  level: number;
}

export const PRESENCES = ['offline', 'available', 'away', 'busy'] as const;
export type Presence = (typeof PRESENCES)[number];

/** A member of staff who can sign in: agents take work, supervisors oversee queues, admins configure. */
export interface Agent {
  /** Equal to the user pool username, so a token's username finds the agent without a lookup. */
  id: string;
  username: string;
  name: string;
  email: string;
  connectUsername: string | null;
  roles: Role[];
  skills: Skill[];
  queues: string[];
  /** Units of work the agent can hold at once (a phone call weighs 100 by default, an email 20). */
  capacity: number;
  presence: Presence;
  createdAt: string;
  updatedAt: string;
}

/** An agent's live state, as the agent-state table keeps it. */
export interface AgentLoad {
  agentId: string;
  presence: Presence;
  /** Capacity units held by offered and accepted work. */
  load: number;
  capacity: number;
  /** When the agent last received work or became available (ISO): longest idle = least recently served. */
  idleSince: string | null;
  /** The agent's Amazon Connect ARN, once an agent event named it. */
  connectAgentArn?: string | null;
}

/** A member of staff as routing and telephony see them: the profile and the live state. */
export interface StaffMember {
  agent: Agent;
  live: AgentLoad;
}
