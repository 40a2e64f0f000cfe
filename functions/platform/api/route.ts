import * as z from 'zod';
import type { Role } from '../domain/actor.js';

/**
 * A route of the HTTP API: who may call it and the shape of what goes in and out. Each feature
 * declares its routes next to its handler (functions/<feature>/api/routes.ts); functions/api/contract.ts
 * concatenates them for API Gateway, the OpenAPI document and the tests, and the feature's handler
 * validates requests and produces responses with the same objects, so the three cannot disagree.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The Lambda function that serves a route: each feature's API entry, and the API's own two. */
export type ApiFunctionName = 'health' | 'cases' | 'customers' | 'agents' | 'email' | 'routing' | 'sla' | 'callbacks' | 'openapi';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway resource path, e.g. `/cases/{id}`. */
  path: string;
  function: ApiFunctionName;
  /** `public` needs no token; otherwise the groups, any one of which may call the route. */
  access: 'public' | readonly Role[];
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route reads (documented, and required by API Gateway when `required`). */
  headers?: readonly { name: string; required: boolean; description: string }[];
  /**
   * The view is the whole response body: it lists every field that may leave the API. A route that
   * answers bytes rather than JSON (a raw message) names their `mediaType`, and its view is a byte
   * array schema: the body is sent base64-encoded for API Gateway to turn back into bytes.
   */
  success: { status: number; view: z.ZodType; description: string; mediaType?: string };
  /** Error statuses the route itself can answer, beyond the ones every route shares. */
  errors: readonly number[];
}

/** The schema a route without a body or query parses with: nothing comes in. */
export const NO_INPUT = z.undefined();
export type NoInput = typeof NO_INPUT;

/** The names of a path's parameters: `id` of `/cases/{id}/notes`. */
export type PathParam<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParam<Rest> : never;

/** The schema of a path's parameters: each one a string. */
export type PathParams<P extends string> = z.ZodType<Record<PathParam<P>, string>>;

/**
 * A route as its handler sees it: the spec with its types kept (see {@link route}), and the schemas
 * the handler parses the path parameters, body and query with (NO_INPUT where the route declares none).
 */
export interface Route<
  M extends HttpMethod = HttpMethod,
  P extends string = string,
  V extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
> extends RouteSpec {
  method: M;
  path: P;
  success: { status: number; view: V; description: string; mediaType?: string };
  input: { params: PathParams<P>; body: B; query: Q };
}

/** What a feature writes to declare a route: a RouteSpec whose method, path and schemas keep their types. */
export type RouteDeclaration<M extends HttpMethod, P extends string, V extends z.ZodType, B extends z.ZodType, Q extends z.ZodType> = Omit<
  RouteSpec,
  'method' | 'path' | 'body' | 'query' | 'success'
> & {
  method: M;
  path: P;
  body?: B;
  query?: Q;
  success: { status: number; view: V; description: string; mediaType?: string };
};

/**
 * Declares a route, keeping its method, path, schemas and view as types, so the handler's request
 * (z.output of body and query) and result (z.input of the view) are typed from it. A schema the
 * declaration leaves out is NO_INPUT, in the type (the parameter's default) and in `input`; the
 * path parameters are typed from the path, `{ id: string }` for `/cases/{id}`.
 */
export function route<
  const M extends HttpMethod,
  const P extends string,
  V extends z.ZodType,
  B extends z.ZodType = NoInput,
  Q extends z.ZodType = NoInput,
>(declaration: RouteDeclaration<M, P, V, B, Q>): Route<M, P, V, B, Q>;
export function route(declaration: RouteSpec): Route {
  const names = [...declaration.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  const params = z.object(Object.fromEntries(names.map((name) => [name, z.string()])));
  return { ...declaration, input: { params, body: declaration.body ?? NO_INPUT, query: declaration.query ?? NO_INPUT } };
}

/** The key a handler dispatches on, e.g. `GET /cases/{id}`. */
export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

/** Largest request body the API accepts, in bytes (256 KiB). */
export const MAX_BODY_BYTES = 256 * 1024;
