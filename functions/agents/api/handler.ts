import type { z } from 'zod';
import { agentDepsFromEnv } from '../adapters/agent-deps-from-env.js';
import { listAgents } from '../use-cases/list-agents.js';
import { putAgent } from '../use-cases/put-agent.js';
import { setPresence } from '../use-cases/set-presence.js';
import type { schemas } from '#api/contract';
import { createApiHandler } from '#platform/api/api-handler';

const deps = agentDepsFromEnv();

export const handler = createApiHandler('agents', {
  'GET /agents': async () => ({ body: { items: await listAgents(deps) } }),
  'PUT /agents/{id}': async ({ params, body }) => ({
    body: await putAgent(deps, { id: params.id ?? '', profile: body as z.infer<typeof schemas.agentBody> }),
  }),
  'PUT /agents/{id}/presence': async ({ params, body, actor }) => ({
    body: await setPresence(deps, { agentId: params.id ?? '', presence: (body as z.infer<typeof schemas.presenceBody>).status }, actor),
  }),
});
