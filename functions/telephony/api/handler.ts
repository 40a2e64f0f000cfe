import type * as z from 'zod';
import { callbackQueryDepsFromEnv } from '../adapters/callback-deps-from-env.js';
import { getMissedCallsReport } from '../use-cases/get-missed-calls-report.js';
import { listCallbacks } from '../use-cases/list-callbacks.js';
import type { schemas } from '#api/contract';
import { createApiHandler } from '#platform/api/api-handler';

const deps = callbackQueryDepsFromEnv();

export const handler = createApiHandler('callbacks', {
  'GET /callbacks': async ({ query }) => {
    const { status, limit, cursor } = query as z.infer<typeof schemas.callbacksQuery>;
    return { body: await listCallbacks(deps, { status, limit, cursor }) };
  },
  'GET /reports/missed-calls': async ({ query }) => {
    const { from, to } = query as z.infer<typeof schemas.missedCallsReportQuery>;
    return { body: await getMissedCallsReport(deps, { from, to }) };
  },
});
