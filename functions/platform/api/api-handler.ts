import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import { actorHasRole } from '../domain/actor.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { ENV, readOptionalEnv } from '../adapters/env-variables.js';
import { logger } from '../adapters/logger.js';
import { actorFromEvent } from './auth.js';
import { toErrorResponse } from './error-response.js';
import { HttpError } from './http-error.js';
import { type ApiFunctionName, MAX_BODY_BYTES, type HttpMethod, type PathParam, type Route, type RouteSpec, routeKey } from './route.js';

/** A validated request as a route implementation sees it: path parameters, query and body typed from the route. */
export interface ApiRequest<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends string = string> {
  /** The signed-in caller; a system actor on public routes. */
  actor: Actor;
  /** The path parameters, URL-decoded: `{ id }` for `/cases/{id}`. */
  params: Record<PathParam<P>, string>;
  query: z.output<Q>;
  body: z.output<B>;
  header(name: string): string | undefined;
}

/** What a route implementation answers: a body the route's view parses (extra fields are dropped). */
export interface ApiResult<V extends z.ZodType = z.ZodType> {
  status?: number;
  body: z.input<V>;
  headers?: Record<string, string>;
}

/** The implementation of a route: its request typed from the route's schemas, its result from its view. */
export type RouteImplementation<R> =
  R extends Route<HttpMethod, infer P, infer V, infer B, infer Q> ? (request: ApiRequest<B, Q, P>) => Promise<ApiResult<V>> : never;

/** A route with its implementation, its types checked and erased: what {@link createApiHandler} dispatches to. */
export interface ImplementedRoute {
  route: RouteSpec;
  respond(event: APIGatewayProxyEvent): Promise<{ status: number; body: unknown; headers: Record<string, string>; mediaType?: string }>;
}

/** A response that does not match its route's view: a bug of ours, answered with a 500 and logged. */
export class ResponseViewError extends Error {
  constructor(
    readonly route: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`the response of ${route} does not match its view: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.name = 'ResponseViewError';
  }
}

/**
 * Pairs a route with its implementation. The request is validated against the route's path,
 * query and body schemas before the implementation runs; its result is parsed with the route's view, so the
 * response has exactly the fields the view lists (a reply token or a storage key in a domain object
 * never leaves the API), and a result the view refuses is a 500.
 */
export function implement<M extends HttpMethod, P extends string, V extends z.ZodType, B extends z.ZodType, Q extends z.ZodType>(
  route: Route<M, P, V, B, Q>,
  implementation: NoInfer<(request: ApiRequest<B, Q, P>) => Promise<ApiResult<V>>>,
): ImplementedRoute {
  return {
    route,
    respond: async (event) => {
      const headers = lowerCaseKeys(event.headers ?? {});
      const actor = authorize(route, event);
      const request: ApiRequest<B, Q, P> = {
        actor,
        params: validate(route.input.params, decodePathParameters(event.pathParameters), 'path'),
        query: validate(route.input.query, route.query ? (event.queryStringParameters ?? {}) : undefined, 'query'),
        body: validate(route.input.body, route.body ? parseJsonBody(event, headers) : undefined, 'body'),
        header: (headerName) => headers[headerName.toLowerCase()],
      };
      const result = await implementation(request);
      const shown = route.success.view.safeParse(result.body);
      if (!shown.success) {
        throw new ResponseViewError(
          routeKey(route),
          shown.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
        );
      }
      const status = result.status ?? route.success.status;
      if (route.success.mediaType !== undefined)
        return { status, body: shown.data, headers: result.headers ?? {}, mediaType: route.success.mediaType };
      return { status, body: shown.data, headers: result.headers ?? {} };
    },
  };
}

/** Origins allowed to call the API from a browser (comma-separated; `*` for any); none by default. */
const CORS_ALLOW_ORIGINS = readOptionalEnv(ENV.corsAllowOrigins, []);

/**
 * Builds the Lambda handler of one API function from its implemented routes. It owns everything
 * HTTP: routing by API Gateway resource, the group check, media type, body size, JSON parsing, zod
 * validation of query and body, the view every response body is parsed with, and the one mapping of
 * errors to responses. `routes` are the routes this function serves (the feature's share of the
 * contract): each must be implemented, or the function fails at cold start.
 */
export function createApiHandler(
  name: ApiFunctionName,
  routes: readonly RouteSpec[],
  implemented: readonly ImplementedRoute[],
): (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult> {
  const byKey = new Map(implemented.map((entry) => [routeKey(entry.route), entry]));
  for (const route of routes) {
    if (route.function !== name) throw new Error(`API function ${name} was given ${routeKey(route)}, a route of ${route.function}`);
    if (!byKey.has(routeKey(route))) throw new Error(`API function ${name} does not implement ${routeKey(route)}`);
  }
  for (const key of byKey.keys()) {
    if (!routes.some((route) => routeKey(route) === key)) throw new Error(`API function ${name} implements ${key}, not one of its routes`);
  }

  const handle = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const cors = corsHeaders(event);
    try {
      const entry = byKey.get(routeKey({ method: event.httpMethod, path: event.resource }));
      if (!entry) throw new HttpError(404, 'not_found', `no route ${event.httpMethod} ${event.path}`);
      const response = await entry.respond(event);
      if (response.mediaType !== undefined) {
        if (!(response.body instanceof Uint8Array))
          throw new ResponseViewError(routeKey(entry.route), [{ path: '', message: 'not bytes' }]);
        return bytes(response.status, response.body, { 'Content-Type': response.mediaType, ...cors, ...response.headers });
      }
      return json(response.status, response.body, { ...cors, ...response.headers });
    } catch (error) {
      const response = toErrorResponse(error);
      if (response.status >= 500) logger.error('request failed', { error, path: event.path });
      else logger.info('request refused', { status: response.status, code: response.code, path: event.path });
      const body = {
        error: { code: response.code, message: response.message, ...(response.details ? { details: response.details } : {}) },
      };
      return json(response.status, body, { ...cors, ...response.headers });
    }
  };

  return middy(handle).use(injectLambdaContext(logger, { resetKeys: true }));
}

function authorize(route: RouteSpec, event: APIGatewayProxyEvent): Actor {
  if (route.access === 'public') return { kind: 'system', id: 'public' };
  // API Gateway's authorizer already refused missing or bad tokens; this guards a misconfigured stage.
  const actor = actorFromEvent(event);
  if (!actor) throw new HttpError(401, 'unauthorized', 'sign in: send a valid token in the Authorization header');
  if (!actorHasRole(actor, route.access)) {
    throw new ForbiddenError(`this needs one of the groups: ${route.access.join(', ')}`, { requiredGroups: route.access });
  }
  return actor;
}

/**
 * API Gateway hands path parameters over still percent-encoded. A malformed escape (`%E0%A4%A`, a
 * lone `%`) is the caller's mistake: a 400 naming the parameter, not the URIError's 500.
 */
function decodePathParameters(raw: Record<string, string | undefined> | null): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    try {
      decoded[name] = decodeURIComponent(value ?? '');
    } catch {
      throw new ValidationError('the request path is not valid', [{ path: `path.${name}`, message: 'malformed percent-encoding' }]);
    }
  }
  return decoded;
}

function parseJsonBody(event: APIGatewayProxyEvent, headers: Record<string, string>): unknown {
  const raw = event.body ?? '';
  const size = Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8');
  if (size > MAX_BODY_BYTES) {
    throw new HttpError(413, 'payload_too_large', `the body is ${size} bytes; the limit is ${MAX_BODY_BYTES}`, { limit: MAX_BODY_BYTES });
  }
  const mediaType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(mediaType)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json', { received: mediaType || null });
  }
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

function validate<S extends z.ZodType>(schema: S, input: unknown, where: 'path' | 'query' | 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ValidationError(`the request ${where} is not valid`, fields);
}

function corsHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const origin = event.headers?.origin ?? event.headers?.Origin;
  if (!origin || CORS_ALLOW_ORIGINS.length === 0) return {};
  // Browsers hide response headers from scripts unless named here; clients need the version and the new case's URL.
  const expose = { 'Access-Control-Expose-Headers': 'ETag, Location' };
  if (CORS_ALLOW_ORIGINS.includes('*')) return { 'Access-Control-Allow-Origin': '*', ...expose };
  return CORS_ALLOW_ORIGINS.includes(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', ...expose } : {};
}

function json(statusCode: number, body: unknown, headers: Record<string, string>): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** Bytes as exactly received (a raw message is not text in any one charset), base64 for API Gateway to decode. */
function bytes(statusCode: number, body: Uint8Array, headers: Record<string, string>): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers },
    body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'),
    isBase64Encoded: true,
  };
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).flatMap(([key, value]) => (value === undefined ? [] : [[key.toLowerCase(), value]])));
}
