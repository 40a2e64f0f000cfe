import * as z from 'zod';
import { caseView } from '#cases';
import { route } from '#platform/api/route';
import { STAFF } from '#platform/api/schema-parts';
import { agentWorkView, queueListView, routingRecordView, workView } from './views.js';

/** The routing API function's routes: work offered, accepted, declined and claimed; queues; decision records. */
export const routingRoutes = {
  agentWork: route({
    method: 'GET',
    path: '/agents/{id}/work',
    function: 'routing',
    access: STAFF,
    summary:
      'The work an agent holds: open offers (with their expiry) and accepted items; one’s own, or anyone’s for supervisors and admins',
    success: { status: 200, view: agentWorkView, description: 'Offers and accepted work' },
    errors: [403],
  }),
  acceptWork: route({
    method: 'POST',
    path: '/work/{workId}/accept',
    function: 'routing',
    access: STAFF,
    summary: 'Accept work offered to you: the case becomes yours (status open)',
    success: { status: 200, view: z.object({ work: workView, case: caseView }), description: 'The accepted work and its case' },
    errors: [403, 404, 422, 503],
  }),
  declineWork: route({
    method: 'POST',
    path: '/work/{workId}/decline',
    function: 'routing',
    access: STAFF,
    summary: 'Decline work offered to you: it goes to another agent, never back to you first',
    success: { status: 200, view: workView, description: 'The work item, back in its backlog' },
    errors: [403, 404, 422],
  }),
  claimNext: route({
    method: 'POST',
    path: '/queues/{queue}/next',
    function: 'routing',
    access: STAFF,
    summary: 'Pull the best waiting item of a queue you serve and eligible for: it is reserved and accepted at once',
    success: {
      status: 200,
      view: z.object({ work: workView.nullable(), case: caseView.nullable(), reason: z.string().nullable() }),
      description: 'The claimed work and its case, or work null with the reason',
    },
    errors: [400, 403, 404, 422, 503],
  }),
  queues: route({
    method: 'GET',
    path: '/queues',
    function: 'routing',
    access: STAFF,
    summary: 'Per queue: waiting items, the oldest one’s wait, and the agents available',
    success: { status: 200, view: queueListView, description: 'Every queue' },
    errors: [],
  }),
  routingRecord: route({
    method: 'GET',
    path: '/cases/{id}/routing',
    function: 'routing',
    access: STAFF,
    summary: 'The routing decision record of a case: its work item, the candidates weighed, the step in force and why the winner won',
    success: { status: 200, view: routingRecordView, description: 'The work item with its latest decision' },
    errors: [404],
  }),
};

export const ROUTING_ROUTES = Object.values(routingRoutes);
