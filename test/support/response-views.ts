import type * as z from 'zod';
import { ROUTES } from '#api/contract';
import { errorView } from '#platform/api/schema-parts';
import { deepStrict } from './deep-strict.js';

/** Every route of the contract with a pattern for its concrete paths and its view made deep-strict. */
const KNOWN = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
  // Literal segments win over parameters: /sla/at-risk is not /sla/policies/{name}, /cases is not /cases/{id}.
  parameters: route.path.split('{').length - 1,
  view: deepStrict(route.success.view),
})).sort((a, b) => a.parameters - b.parameters);

const strictErrorView = deepStrict(errorView);

/**
 * Checks a response of the API against its contract: a success against the route's view, an error
 * against the error view, both made deep-strict, so a field the view does not list fails the test
 * (the handler drops such fields; this proves it did). Paths that are no route of the contract
 * (the local runtime's own) are left alone.
 */
export function expectMatchesView(method: string, path: string, status: number, body: unknown): void {
  const pathname = path.split('?')[0] ?? path;
  const known = KNOWN.find((candidate) => candidate.route.method === method.toUpperCase() && candidate.pattern.test(pathname));
  if (!known) return;
  // A route that answers bytes (a raw message) has no JSON to check; its bytes are the test's to compare.
  if (status < 400 && known.route.success.mediaType !== undefined) return;
  const schema: z.ZodType = status < 400 ? known.view : strictErrorView;
  const result = schema.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(body)'}: ${issue.message}`).join('\n');
    throw new Error(
      `${method} ${path} answered ${status} with a body the ${status < 400 ? `view of ${method} ${known.route.path}` : 'error view'} does not allow:\n${issues}`,
    );
  }
}
