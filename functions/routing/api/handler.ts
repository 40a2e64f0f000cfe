import { caseAccessDepsFromEnv, routingApiDepsFromEnv } from '../adapters/routing-deps-from-env.js';
import { acceptWork } from '../use-cases/accept-work.js';
import { claimNextWork } from '../use-cases/claim-next-work.js';
import { declineWork } from '../use-cases/decline-work.js';
import { describeQueues } from '../use-cases/describe-queues.js';
import { getRoutingRecord } from '../use-cases/get-routing-record.js';
import { listAgentWork } from '../use-cases/list-agent-work.js';
import { viewerOf, visibleCaseId } from '#cases';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { ROUTING_ROUTES, routingRoutes } from './routes.js';

const deps = routingApiDepsFromEnv();
const access = caseAccessDepsFromEnv();
const queues = deps.queues;

// A work item's view leaves out its decision record (that is for `GET /cases/{id}/routing`).
export const handler = createApiHandler('routing', ROUTING_ROUTES, [
  implement(routingRoutes.agentWork, async ({ params, actor }) => ({
    body: await listAgentWork(deps, { agentId: params.id }, actor),
  })),
  implement(routingRoutes.acceptWork, async ({ params, actor }) => ({
    body: await acceptWork(deps, { workId: params.workId }, actor),
  })),
  implement(routingRoutes.declineWork, async ({ params, actor }) => ({
    body: await declineWork(deps, { workId: params.workId }, actor),
  })),
  implement(routingRoutes.claimNext, async ({ params, actor }) => {
    const claimed = await claimNextWork(deps, { queue: params.queue, queues: queues.map((queue) => queue.name) }, actor);
    return claimed.work
      ? { body: { work: claimed.work, case: claimed.case, reason: null } }
      : { body: { work: null, case: null, reason: claimed.reason } };
  }),
  implement(routingRoutes.queues, async () => ({ body: { items: await describeQueues(deps, { queues }) } })),
  implement(routingRoutes.routingRecord, async ({ params, actor }) => {
    const caseId = await visibleCaseId(deps, await viewerOf(access, actor), params.id);
    return { body: await getRoutingRecord(deps, { caseId }) };
  }),
]);
