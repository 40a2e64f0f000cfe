import { callbackQueryDepsFromEnv } from '../adapters/callback-deps-from-env.js';
import { getMissedCallsReport } from '../use-cases/get-missed-calls-report.js';
import { listCallbacks } from '../use-cases/list-callbacks.js';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { CALLBACK_ROUTES, callbackRoutes } from './routes.js';

const deps = callbackQueryDepsFromEnv();

export const handler = createApiHandler('callbacks', CALLBACK_ROUTES, [
  implement(callbackRoutes.listCallbacks, async ({ query }) => {
    const { status, limit, cursor } = query;
    return { body: await listCallbacks(deps, { status, limit, cursor }) };
  }),
  implement(callbackRoutes.missedCallsReport, async ({ query }) => {
    const { from, to } = query;
    return { body: await getMissedCallsReport(deps, { from, to }) };
  }),
]);
