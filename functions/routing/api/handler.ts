import { routingApiDepsFromEnv } from '../adapters/routing-deps-from-env.js';
import type { WorkRecord } from '../domain/routing-ports.js';
import { acceptWork } from '../use-cases/accept-work.js';
import { claimNextWork } from '../use-cases/claim-next-work.js';
import { declineWork } from '../use-cases/decline-work.js';
import { describeQueues } from '../use-cases/describe-queues.js';
import { getRoutingRecord } from '../use-cases/get-routing-record.js';
import { listAgentWork } from '../use-cases/list-agent-work.js';
import { resolveCaseId } from '#cases';
import { createApiHandler } from '#platform/api/api-handler';
import { presentCase } from '#cases/api/presenters';

const deps = routingApiDepsFromEnv();
const queues = deps.queues;

/** A work item without its decision record (that is for `GET /cases/{id}/routing`). */
const presentWork = ({ decision: _decision, ...work }: WorkRecord) => work;

export const handler = createApiHandler('routing', {
  'GET /agents/{id}/work': async ({ params, actor }) => {
    const work = await listAgentWork(deps, { agentId: params.id ?? '' }, actor);
    return { body: { offers: work.offers.map(presentWork), accepted: work.accepted.map(presentWork) } };
  },
  'POST /work/{workId}/accept': async ({ params, actor }) => {
    const accepted = await acceptWork(deps, { workId: params.workId ?? '' }, actor);
    return { body: { work: presentWork(accepted.work), case: presentCase(accepted.case) } };
  },
  'POST /work/{workId}/decline': async ({ params, actor }) => ({
    body: presentWork(await declineWork(deps, { workId: params.workId ?? '' }, actor)),
  }),
  'POST /queues/{queue}/next': async ({ params, actor }) => {
    const claimed = await claimNextWork(deps, { queue: params.queue ?? '', queues: queues.map((queue) => queue.name) }, actor);
    return claimed.work
      ? { body: { work: presentWork(claimed.work), case: presentCase(claimed.case), reason: null } }
      : { body: { work: null, case: null, reason: claimed.reason } };
  },
  'GET /queues': async () => ({ body: { items: await describeQueues(deps, { queues }) } }),
  'GET /cases/{id}/routing': async ({ params }) => {
    const caseId = await resolveCaseId(deps.cases, params.id ?? '');
    const { decision, ...work } = await getRoutingRecord(deps, { caseId });
    return { body: { ...work, decision } };
  },
});
