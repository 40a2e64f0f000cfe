import { buildOpenApiDocument } from './openapi-document.js';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { apiRoutes } from './api-routes.js';

/** Built once per execution environment: the contract does not change at run time. */
const document = buildOpenApiDocument();

export const handler = createApiHandler(
  'openapi',
  [apiRoutes.openapi],
  [implement(apiRoutes.openapi, async () => ({ body: document, headers: { 'Cache-Control': 'public, max-age=300' } }))],
);
