import { createApiHandler } from '#platform/api/api-handler';

/** Liveness only: it touches no table, so a DynamoDB incident does not take the health check down with it. */
export const handler = createApiHandler('health', {
  'GET /health': async () => ({ body: { status: 'ok', service: 'switchboard' } }),
});
