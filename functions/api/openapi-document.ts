import * as z from 'zod';
import { errorView } from '#platform/api/schema-parts';
import { ROUTES, type RouteSpec } from './contract.js';

type JsonObject = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is not valid (validation_failed lists the failing fields, or invalid_json)',
  401: 'No token, or a token that is expired or not ours',
  403: 'The caller lacks the group this needs',
  404: 'Not found',
  409: 'The version in If-Match is stale: read the case again and retry',
  413: 'The body is larger than 256 KiB',
  415: 'The body is not application/json',
  422: 'Well formed but not allowed now (for example an illegal status change)',
  429: 'Throttled: slow down and retry',
  500: 'Our fault; the request may be retried',
};

function toSchema(schema: z.ZodType, io: 'input' | 'output'): z.core.JSONSchema.BaseSchema {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
}

function parameters(route: RouteSpec): JsonObject[] {
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query ? toSchema(route.query, 'input') : undefined;
  const required = new Set(query?.required ?? []);
  const queryParams = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema,
  }));
  const headerParams = (route.headers ?? []).map((header) => ({
    name: header.name,
    in: 'header',
    required: header.required,
    description: header.description,
    schema: { type: 'string' },
  }));
  return [...pathParams, ...queryParams, ...headerParams];
}

function operation(route: RouteSpec): JsonObject {
  const errorStatuses = new Set([...route.errors, ...(route.access === 'public' ? [] : [401, 403]), 429, 500]);
  const responses: JsonObject = {
    [route.success.status]: {
      description: route.success.description,
      content: route.success.mediaType
        ? { [route.success.mediaType]: { schema: { type: 'string', format: 'binary' } } }
        : { 'application/json': { schema: toSchema(route.success.view, 'output') } },
    },
  };
  for (const status of [...errorStatuses].sort()) {
    responses[status] = {
      description: STATUS_TEXT[status] ?? 'Error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}.]/g, '').replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    ...(route.access === 'public' ? { security: [] } : { 'x-switchboard-groups': route.access }),
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.0 document of the API, generated from the contract every handler serves. */
export function buildOpenApiDocument(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Switchboard API',
      version: '0.1.0',
      description:
        'Cases, customers and agents of the Switchboard contact-center backend. Authenticate with a Cognito ' +
        'ID token (groups agents, supervisors, admins) in the Authorization header.',
    },
    security: [{ cognito: [] }],
    paths,
    components: {
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: toSchema(errorView, 'output') },
    },
  };
}
