import { buildOpenApiDocument } from './openapi-document.js';
import { createApiHandler } from '#platform/api/api-handler';

/** Built once per execution environment: the contract does not change at run time. */
const document = buildOpenApiDocument();

export const handler = createApiHandler('openapi', {
  'GET /openapi.json': async () => ({ body: document, headers: { 'Cache-Control': 'public, max-age=300' } }),
});
