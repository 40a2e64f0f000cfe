import * as z from 'zod';
import { PRESENCES } from '../domain/agent.js';
import { route } from '#platform/api/route';
import { emailAddress, STAFF } from '#platform/api/schema-parts';

const presenceBody = z.object({ status: z.enum(PRESENCES) }).strict();

const agentBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: emailAddress,
    connectUsername: z.string().min(1).max(100).nullable().optional(),
    roles: z.array(z.enum(['agents', 'supervisors', 'admins'])).min(1),
    skills: z
      .array(z.object({ skill: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), level: z.number().int().min(1).max(10) }).strict())
      .max(50),
    queues: z.array(z.string().min(1).max(64)).max(20),
    capacity: z.number().int().min(1).max(1000),
  })
  .strict();

export const agentView = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  email: z.string(),
  connectUsername: z.string().nullable(),
  roles: z.array(z.enum(['agents', 'supervisors', 'admins'])),
  skills: z.array(z.object({ skill: z.string(), level: z.number().int().min(1).max(10) })),
  queues: z.array(z.string()),
  capacity: z.number().int(),
  presence: z.enum(PRESENCES),
  /** Capacity units held by offered and accepted work. */
  load: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const agentListView = z.object({ items: z.array(agentView) });

/** The agents API function's routes (the work an agent holds is the routing function's). */
export const agentRoutes = {
  listAgents: route({
    method: 'GET',
    path: '/agents',
    function: 'agents',
    access: STAFF,
    summary: 'The agents and supervisors with their skills, presence and live load',
    success: { status: 200, view: agentListView, description: 'All agents' },
    errors: [],
  }),
  putAgent: route({
    method: 'PUT',
    path: '/agents/{id}',
    function: 'agents',
    access: ['admins'],
    summary: 'Create or replace a member of staff’s profile: skills with levels, queues, capacity',
    body: agentBody,
    success: { status: 200, view: agentView, description: 'The profile' },
    errors: [400, 413, 415],
  }),
  setPresence: route({
    method: 'PUT',
    path: '/agents/{id}/presence',
    function: 'agents',
    access: STAFF,
    summary: 'Set presence (offline, available, away, busy): one’s own, or anyone’s for supervisors and admins',
    body: presenceBody,
    success: { status: 200, view: agentView, description: 'The agent' },
    errors: [400, 404, 413, 415],
  }),
};

export const AGENT_ROUTES = Object.values(agentRoutes);
