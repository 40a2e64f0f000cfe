import * as z from 'zod';
import { route } from '#platform/api/route';

/** The API's own routes: the liveness check and the OpenAPI document. */
export const apiRoutes = {
  health: route({
    method: 'GET',
    path: '/health',
    function: 'health',
    access: 'public',
    summary: 'Liveness check',
    success: {
      status: 200,
      view: z.object({ status: z.literal('ok'), service: z.literal('switchboard') }),
      description: 'The API is up',
    },
    errors: [],
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    access: 'public',
    summary: 'This OpenAPI document',
    success: { status: 200, view: z.record(z.string(), z.unknown()), description: 'OpenAPI 3 document' },
    errors: [],
  }),
};
