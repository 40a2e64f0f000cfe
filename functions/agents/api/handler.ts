import { agentDepsFromEnv } from '../adapters/agent-deps-from-env.js';
import { listAgents } from '../use-cases/list-agents.js';
import { putAgent } from '../use-cases/put-agent.js';
import { setPresence } from '../use-cases/set-presence.js';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { AGENT_ROUTES, agentRoutes } from './routes.js';

const deps = agentDepsFromEnv();

export const handler = createApiHandler('agents', AGENT_ROUTES, [
  implement(agentRoutes.listAgents, async () => ({ body: { items: await listAgents(deps) } })),
  implement(agentRoutes.putAgent, async ({ params, body }) => ({
    body: await putAgent(deps, { id: params.id, profile: body }),
  })),
  implement(agentRoutes.setPresence, async ({ params, body, actor }) => ({
    body: await setPresence(deps, { agentId: params.id, presence: body.status }, actor),
  })),
]);
