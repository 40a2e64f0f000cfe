import '#local/sdk-environment';
import { freePort } from '#local/free-port';
import { readCloudModel } from '#local/cloud-template';
import { synthesizeTemplates } from '#local/synthesize';
import { startLocalRuntime } from '#local/runtime';
import { benchCaseApi } from './api-bench.js';
import { benchCallerLookup } from './connect-bench.js';
import { benchEmailIntake } from './email-bench.js';
import { benchRouter } from './router-bench.js';
import { simulateRoutingDay } from './routing-simulation.js';
import { benchSla } from './sla-bench.js';
import { measureBundles } from './bundle-size.js';
import { report } from './report.js';

/**
 * `npm run bench`: starts the local backend in memory, measures the API handlers against DynamoDB
 * Local beside raw SDK calls in the same run, runs the live router on items of its own, sizes every
 * Lambda bundle, measures what SLA tracking costs per case (bench/sla-bench.ts, in a backend of its
 * own), prints a table and writes every figure to bench/results.json. BENCH_ITERATIONS sets the
 * sample size (default 500); BENCH_ROUTER_ITEMS the router's concurrent items (default 300);
 * BENCH_SLA_CASES the SLA bench's cases per scenario (default 10).
 */
const iterations = Number(process.env.BENCH_ITERATIONS ?? 500);
const runtime = await startLocalRuntime({
  port: 0,
  sesPort: 0,
  smtpPort: 0,
  fauxqsPort: 0,
  dynamoDbPort: await freePort(),
  dataDir: null,
  reset: false,
  logRequests: false,
});
try {
  const cases = await import('#cases/api/handler');
  const casesTable = process.env.CASES_TABLE_NAME;
  if (!casesTable) throw new Error('the local runtime did not bind CASES_TABLE_NAME');
  const apiFigures = await benchCaseApi({ casesTable, casesHandler: cases.handler, iterations });
  const router = await import('#routing/handlers/route-work');
  const agentStateTable = process.env.AGENT_STATE_TABLE_NAME;
  if (!agentStateTable) throw new Error('the local runtime did not bind AGENT_STATE_TABLE_NAME');
  const routerFigures = await benchRouter({
    agentStateTable,
    routeHandler: router.handler,
    items: Number(process.env.BENCH_ROUTER_ITEMS ?? 300),
    iterations,
  });
  const intake = await import('#email/handlers/email-intake');
  const emailFigures = await benchEmailIntake({
    intake: intake.handler,
    bucket: process.env.MAIL_BUCKET_NAME ?? 'mailbucket',
    smtpPort: runtime.smtpPort,
    messages: Number(process.env.BENCH_EMAILS ?? 200),
  });
  const lookup = await import('#telephony/handlers/customer-lookup');
  const lookupFigures = await benchCallerLookup({
    casesTable,
    handler: lookup.handler as (event: unknown) => Promise<Record<string, string>>,
    iterations,
  });
  // Its own backend in a child process: the SLA clocks run 600× faster there, away from these cases.
  const slaFigures = await benchSla();
  // Every function the CDK app deploys, from the synthesized template's entry metadata.
  const entries = [...new Set([...readCloudModel(synthesizeTemplates()).functions.values()].map((fn) => fn.entry))].sort();
  const bundleFigures = await measureBundles(entries);
  const routingDay = simulateRoutingDay({ arrivals: Number(process.env.BENCH_ROUTING_ARRIVALS ?? 1400), seed: 7 });
  console.log(`\nA simulated working day of the seed scenario (docs/routing-simulation.md):\n${routingDay.table.join('\n')}\n`);
  report(
    [...apiFigures, ...routerFigures, ...emailFigures, ...lookupFigures, ...slaFigures, ...routingDay.figures, ...bundleFigures],
    'bench/results.json',
    {
      ranAt: new Date().toISOString(),
      iterations,
      node: process.version,
      note: 'latencies are wall-clock on this machine; compare the ratios, not the milliseconds, across machines',
    },
  );
} finally {
  await runtime.stop();
}
