import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AGENT_ROUTES } from '#agents/api/routes';
import { CASE_ROUTES, caseRoutes } from '#cases/api/routes';
import { logger } from '#platform/adapters/logger';
import { aCase, aMessage } from '../../support/builders.js';
import { ContentionError, NotFoundError, VersionConflictError } from '#platform/domain/errors';
import { actorFromEvent } from '#platform/api/auth';
import { createApiHandler, implement, type RouteImplementation } from '#platform/api/api-handler';
import type { Route } from '#platform/api/route';

const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(overrides: Partial<APIGatewayProxyEvent> & { groups?: string | null } = {}): APIGatewayProxyEvent {
  const { groups = 'agents', ...rest } = overrides;
  return {
    resource: '/cases/{id}/notes',
    path: '/cases/c1/notes',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id: 'c1' },
    stageVariables: null,
    body: JSON.stringify({ body: 'Oddzwonić' }),
    isBase64Encoded: false,
    requestContext: {
      authorizer: groups === null ? null : { claims: { 'cognito:username': 'anna.nowak', 'cognito:groups': groups } },
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...rest,
  };
}

/** A route the test does not call. */
const unused = (route: Route) =>
  implement(route, async () => {
    throw new Error('not called in this test');
  });

/** A cases function whose notes route answers with what the test gives (every route of the function must exist). */
function casesHandler(notes: RouteImplementation<typeof caseRoutes.addNote>) {
  return createApiHandler(
    'cases',
    CASE_ROUTES,
    Object.values(caseRoutes).map((route) => (route === caseRoutes.addNote ? implement(caseRoutes.addNote, notes) : unused(route))),
  );
}

/** A cases function whose case read answers with what the test gives. */
function caseReader(read: RouteImplementation<typeof caseRoutes.getCase>) {
  return createApiHandler(
    'cases',
    CASE_ROUTES,
    Object.values(caseRoutes).map((route) => (route === caseRoutes.getCase ? implement(caseRoutes.getCase, read) : unused(route))),
  );
}

/** A note as the notes route answers. */
const note = { id: 'n1', caseId: 'c1', body: 'Oddzwonić', authorId: 'anna.nowak', createdAt: '2026-11-23T09:00:00.000Z' };

const parse = (body: string) => JSON.parse(body) as { error: { code: string; message: string; details?: any } };

describe('createApiHandler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('passes the validated body, path parameters and actor to the route, and answers with its status', async () => {
    let seen: unknown;
    const handler = casesHandler(async (request) => {
      seen = { body: request.body, params: request.params, actor: request.actor };
      return { body: note };
    });

    const response = await handler(event(), context);

    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toEqual(note);
    expect(seen).toEqual({
      body: { body: 'Oddzwonić' },
      params: { id: 'c1' },
      actor: { kind: 'user', id: 'anna.nowak', roles: ['agents'] },
    });
  });

  it('passes the path parameters the route declares, URL-decoded, and no others', async () => {
    let seen: unknown;
    const handler = casesHandler(async ({ params }) => {
      seen = params;
      return { body: note };
    });

    await handler(event({ pathParameters: { id: 'CS%2D000042', stray: 'x' } }), context);

    expect(seen).toEqual({ id: 'CS-000042' });
  });

  it('answers a malformed percent-encoding in a path parameter with 400 and the error shape, not 500', async () => {
    const handler = casesHandler(async () => ({ body: note }));

    const lone = await handler(event({ path: '/cases/%/notes', pathParameters: { id: '%' } }), context);
    const cut = await handler(event({ path: '/cases/CS%E0%A4%A/notes', pathParameters: { id: 'CS%E0%A4%A' } }), context);

    for (const response of [lone, cut]) {
      expect(response.statusCode).toBe(400);
      expect(parse(response.body).error).toEqual({
        code: 'validation_failed',
        message: 'the request path is not valid',
        details: { fields: [{ path: 'path.id', message: 'malformed percent-encoding' }] },
      });
    }
  });

  it('refuses a caller without a token (401) and one without a staff group (403)', async () => {
    const handler = casesHandler(async () => ({ body: note }));

    const anonymous = await handler(event({ groups: null }), context);
    const groupless = await handler(event({ groups: '' }), context);

    expect([anonymous.statusCode, parse(anonymous.body).error.code]).toEqual([401, 'unauthorized']);
    expect([groupless.statusCode, parse(groupless.body).error.code]).toEqual([403, 'forbidden']);
  });

  it('refuses a missing or foreign media type (415), malformed JSON (400) and an oversized body (413)', async () => {
    const handler = casesHandler(async () => ({ body: note }));

    const noType = await handler(event({ headers: {} }), context);
    const form = await handler(event({ headers: { 'content-type': 'application/x-www-form-urlencoded' } }), context);
    const broken = await handler(event({ body: '{"body":' }), context);
    const huge = await handler(event({ body: JSON.stringify({ body: 'x'.repeat(300_000) }) }), context);

    expect(noType.statusCode).toBe(415);
    expect(form.statusCode).toBe(415);
    expect([broken.statusCode, parse(broken.body).error.code]).toEqual([400, 'invalid_json']);
    expect([huge.statusCode, parse(huge.body).error.code]).toEqual([413, 'payload_too_large']);
  });

  it('accepts JSON with a charset and structured +json media types', async () => {
    const handler = casesHandler(async () => ({ body: note }));

    const charset = await handler(event({ headers: { 'Content-Type': 'application/json; charset=utf-8' } }), context);
    const merge = await handler(event({ headers: { 'content-type': 'application/merge-patch+json' } }), context);

    expect([charset.statusCode, merge.statusCode]).toEqual([201, 201]);
  });

  it('lists every failing field of an invalid body', async () => {
    const handler = casesHandler(async () => ({ body: note }));

    const response = await handler(event({ body: JSON.stringify({ body: '', extra: 1 }) }), context);

    expect(response.statusCode).toBe(400);
    expect(parse(response.body).error.details.fields.map((field: { path: string }) => field.path)).toEqual(
      expect.arrayContaining(['body.body', 'body']),
    );
  });

  it.each([
    [new NotFoundError('case', 'c1'), 404, 'not_found'],
    [new VersionConflictError('case', 'c1', 1, 2), 409, 'version_conflict'],
    [new ContentionError('busy'), 503, 'contention'],
  ])('maps %s to its status', async (error, status, code) => {
    const handler = casesHandler(async () => {
      throw error;
    });

    const response = await handler(event(), context);

    expect([response.statusCode, parse(response.body).error.code]).toEqual([status, code]);
  });

  it('hides an unexpected error behind a bare 500', async () => {
    const handler = casesHandler(async () => {
      throw new Error('ECONNRESET at socket.ts:42 with secret table name');
    });

    const response = await handler(event(), context);

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('ECONNRESET');
    expect(parse(response.body).error.code).toBe('internal_error');
  });

  it('answers 404 for a resource this function does not serve', async () => {
    const handler = casesHandler(async () => ({ body: note }));

    const response = await handler(event({ resource: '/agents', httpMethod: 'GET' }), context);

    expect(response.statusCode).toBe(404);
  });

  it('refuses to build a function that leaves a contract route unimplemented', () => {
    expect(() => createApiHandler('agents', AGENT_ROUTES, [])).toThrow(/does not implement GET \/agents/);
  });

  it('refuses to build a function given another function’s route', () => {
    expect(() => createApiHandler('agents', CASE_ROUTES, [])).toThrow(/was given POST \/cases, a route of cases/);
  });

  it('answers with the fields the view lists and nothing else, nested objects included', async () => {
    const getCase = caseReader(async () => ({
      body: { ...aCase({ replyToken: 'secret-token' }), messages: [{ ...aMessage(), deliveryStatus: null }], messagesCursor: null },
    }));

    const response = await getCase(event({ resource: '/cases/{id}', httpMethod: 'GET', path: '/cases/c1', body: null }), context);

    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('secret-token');
    expect(response.body).not.toContain('mail/attachments/a1');
    expect(response.body).not.toContain('mail/raw/m1');
    expect(JSON.parse(response.body).messages[0].attachments[0]).toEqual({
      filename: 'a.pdf',
      contentType: 'application/pdf',
      size: 3,
      checksum: 'abc',
      inline: false,
    });
  });

  it('answers a result its view refuses with a bare 500 and logs it as our error', async () => {
    const logged = vi.spyOn(logger, 'error');
    // A version the view refuses (it must be an integer): the implementation broke the contract, not the caller.
    const getCase = caseReader(async () => ({ body: { ...aCase({ version: 1.5 }), messages: [], messagesCursor: null } }));

    const response = await getCase(event({ resource: '/cases/{id}', httpMethod: 'GET', path: '/cases/c1', body: null }), context);

    expect(response.statusCode).toBe(500);
    expect(parse(response.body).error.code).toBe('internal_error');
    expect(response.body).not.toContain('version');
    expect(logged).toHaveBeenCalledWith(
      'request failed',
      expect.objectContaining({
        error: expect.objectContaining({ name: 'ResponseViewError', message: expect.stringContaining('version') }),
      }),
    );
  });
});

describe('actorFromEvent', () => {
  it.each([
    ['comma-separated', 'agents,supervisors'],
    ['bracketed and space-separated', '[agents supervisors]'],
  ])('reads groups %s as API Gateway passes them', (_format, groups) => {
    const actor = actorFromEvent(event({ groups }));

    expect(actor).toEqual({ kind: 'user', id: 'anna.nowak', roles: ['agents', 'supervisors'] });
  });

  it('ignores groups that are not Switchboard roles', () => {
    expect(actorFromEvent(event({ groups: 'agents,billing' }))).toMatchObject({ roles: ['agents'] });
  });
});
