import type * as z from 'zod';
import { callbackQueryDepsFromEnv } from '../../adapters/compose/callback-deps.js';
import { getMissedCallsReport } from '../../domain/use-cases/get-missed-calls-report.js';
import { listCallbacks } from '../../domain/use-cases/list-callbacks.js';
import type { schemas } from './contract.js';
import { createApiHandler } from './http/api-handler.js';

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
