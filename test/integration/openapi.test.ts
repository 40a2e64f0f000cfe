import { describe, expect, it } from 'vitest';
import { ROUTES } from '#api/contract';
import { call } from '../support/api-client.js';

describe('GET /openapi.json', () => {
  it('describes every route the API serves, with its parameters, body and errors', async () => {
    const response = await call('GET', '/openapi.json', { as: null });

    expect(response.status).toBe(200);
    const document = response.body as { openapi: string; paths: Record<string, Record<string, any>> };
    expect(document.openapi).toMatch(/^3\./);
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    const patch = document.paths['/cases/{id}']?.patch;
    expect(patch.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['id', 'If-Match']);
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '413', '415', '422']));
    expect(patch.requestBody.content['application/json'].schema.properties.status.enum).toContain('on_hold');
  });

  it('answers every documented route through the gateway (nothing documented is missing)', async () => {
    for (const route of ROUTES) {
      const path = route.path.replace('{id}', '01JDZZZZZZZZZZZZZZZZZZZZZZ');
      const response = await call(route.method, path, { as: 'admin', body: route.body ? {} : undefined });

      expect(String(response.body?.error?.message ?? ''), `${route.method} ${route.path}`).not.toMatch(/^no route/);
      expect(response.status, `${route.method} ${route.path}`).toBeLessThan(500);
    }
  });
});
