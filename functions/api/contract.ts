import { AGENT_ROUTES } from '#agents/api/routes';
import { CASE_ROUTES } from '#cases/api/routes';
import { CUSTOMER_ROUTES } from '#customers/api/routes';
import { EMAIL_ROUTES } from '#email/api/routes';
import type { ApiFunctionName, RouteSpec } from '#platform/api/route';
import { ROUTING_ROUTES } from '#routing/api/routes';
import { SLA_ROUTES } from '#sla/api/routes';
import { CALLBACK_ROUTES } from '#telephony/api/routes';
import { apiRoutes } from './api-routes.js';

/**
 * The HTTP API's contract: every feature's routes (functions/<feature>/api/routes.ts), one list.
 * The API stack builds API Gateway from it, the OpenAPI document is generated from it and the
 * infra tests check both against it; each feature's handler serves its own share of it.
 */
export const ROUTES: readonly RouteSpec[] = [
  ...Object.values(apiRoutes),
  ...CASE_ROUTES,
  ...EMAIL_ROUTES,
  ...CUSTOMER_ROUTES,
  ...AGENT_ROUTES,
  ...ROUTING_ROUTES,
  ...SLA_ROUTES,
  ...CALLBACK_ROUTES,
];

/** The entry file of each API function, relative to the repository root. */
export const API_FUNCTION_ENTRIES: Readonly<Record<ApiFunctionName, string>> = {
  health: 'functions/api/health.ts',
  openapi: 'functions/api/openapi.ts',
  cases: 'functions/cases/api/handler.ts',
  customers: 'functions/customers/api/handler.ts',
  agents: 'functions/agents/api/handler.ts',
  email: 'functions/email/api/handler.ts',
  routing: 'functions/routing/api/handler.ts',
  sla: 'functions/sla/api/handler.ts',
  callbacks: 'functions/telephony/api/handler.ts',
};

export { type ApiFunctionName, MAX_BODY_BYTES, type RouteSpec, routeKey } from '#platform/api/route';
