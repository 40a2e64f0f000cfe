import { agentDepsFromEnv } from '../../adapters/compose/case-deps.js';
import { listAgents } from '../../domain/use-cases/list-agents.js';
import { createApiHandler } from './http/api-handler.js';

const deps = agentDepsFromEnv();

export const handler = createApiHandler('agents', {
  'GET /agents': async () => ({ body: { items: await listAgents(deps) } }),
});
