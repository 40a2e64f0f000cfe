import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import { actorHasRole } from '../domain/actor.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { ENV, readOptionalEnv } from '../adapters/env-variables.js';
import { logger } from '../adapters/logger.js';
import { type ApiFunctionName, MAX_BODY_BYTES, ROUTES, type RouteSpec, routeKey } from '#api/contract';
import { actorFromEvent } from './auth.js';
import { toErrorResponse } from './error-response.js';
import { HttpError } from './http-error.js';

/** A validated request as a route implementation sees it. */
export interface ApiRequest {
  /** The signed-in caller; a system actor on public routes. */
  actor: Actor;
  params: Record<string, string>;
  query: unknown;
  body: unknown;
  header(name: string): string | undefined;
}

export interface ApiResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type RouteImplementation = (request: ApiRequest) => Promise<ApiResult>;

/** Origins allowed to call the API from a browser (comma-separated; `*` for any); none by default. */
const CORS_ALLOW_ORIGINS = readOptionalEnv(ENV.corsAllowOrigins, []);

/**
 * Builds the Lambda handler of one API function from its route implementations. It owns everything
 * HTTP: routing by API Gateway resource, the group check, media type, body size, JSON parsing, zod
 * validation of query and body against the contract, and the one mapping of errors to responses.
 * Every route of the contract served by this function must be implemented, or the function fails
 * at cold start.
 */
export function createApiHandler(
  name: ApiFunctionName,
  implementations: Record<string, RouteImplementation>,
): (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult> {
  const routes = new Map(ROUTES.filter((route) => route.function === name).map((route) => [routeKey(route), route]));
  for (const key of routes.keys()) {
    if (!implementations[key]) throw new Error(`API function ${name} does not implement ${key}`);
  }

  const handle = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const cors = corsHeaders(event);
    try {
      const key = routeKey({ method: event.httpMethod, path: event.resource });
      const route = routes.get(key);
      const implementation = implementations[key];
      if (!route || !implementation) throw new HttpError(404, 'not_found', `no route ${event.httpMethod} ${event.path}`);
      const request = parseRequest(route, event);
      const result = await implementation(request);
      return json(result.status ?? route.success.status, result.body, { ...cors, ...result.headers });
    } catch (error) {
      const response = toErrorResponse(error);
      if (response.status >= 500) logger.error('request failed', { error: error as Error, path: event.path });
      else logger.info('request refused', { status: response.status, code: response.code, path: event.path });
      const body = {
        error: { code: response.code, message: response.message, ...(response.details ? { details: response.details } : {}) },
      };
      return json(response.status, body, { ...cors, ...response.headers });
    }
  };

  return middy(handle).use(injectLambdaContext(logger, { resetKeys: true }));
}

function parseRequest(route: RouteSpec, event: APIGatewayProxyEvent): ApiRequest {
  const headers = lowerCaseKeys(event.headers ?? {});
  const actor = authorize(route, event);
  return {
    actor,
    params: Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([key, value]) => [key, decodeURIComponent(value ?? '')])),
    query: route.query ? validate(route.query, event.queryStringParameters ?? {}, 'query') : undefined,
    body: route.body ? validate(route.body, parseJsonBody(event, headers), 'body') : undefined,
    header: (headerName) => headers[headerName.toLowerCase()],
  };
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

function validate(schema: z.ZodType, input: unknown, where: 'query' | 'body'): unknown {
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

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).flatMap(([key, value]) => (value === undefined ? [] : [[key.toLowerCase(), value]])));
}
