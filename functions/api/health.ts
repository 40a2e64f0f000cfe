import { createApiHandler, implement } from '#platform/api/api-handler';
import { apiRoutes } from './api-routes.js';

/** Liveness only: it touches no table, so a DynamoDB incident does not take the health check down with it. */
export const handler = createApiHandler(
  'health',
  [apiRoutes.health],
  [implement(apiRoutes.health, async () => ({ body: { status: 'ok', service: 'switchboard' } }))],
);
