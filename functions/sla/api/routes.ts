import { route } from '#platform/api/route';
import { STAFF, SUPERVISION } from '#platform/api/schema-parts';
import { atRiskQuery, slaCalendarBody, slaPolicyBody } from './schemas.js';
import { atRiskListView, caseSlaView, slaCalendarListView, slaCalendarView, slaPolicyListView, slaPolicyView } from './views.js';

/** The SLA API function's routes: a case's clocks, the cases at risk, and the policies and calendars. */
export const slaRoutes = {
  caseSla: route({
    method: 'GET',
    path: '/cases/{id}/sla',
    function: 'sla',
    access: STAFF,
    summary:
      'The SLA of a case (by id or number): per milestone its policy, target, due time, state, elapsed and remaining business minutes and the segments behind them; and the case metrics',
    success: { status: 200, view: caseSlaView, description: 'The case’s clocks and metrics' },
    errors: [404],
  }),
  atRisk: route({
    method: 'GET',
    path: '/sla/at-risk',
    function: 'sla',
    access: SUPERVISION,
    summary: 'Cases whose SLA is in warning or breached, most urgent first, of one queue or all',
    query: atRiskQuery,
    success: { status: 200, view: atRiskListView, description: 'Cases at risk' },
    errors: [400],
  }),
  listPolicies: route({
    method: 'GET',
    path: '/sla/policies',
    function: 'sla',
    access: STAFF,
    summary: 'Every SLA policy in force (built-in defaults and stored edits), in rank order',
    success: { status: 200, view: slaPolicyListView, description: 'The policies' },
    errors: [],
  }),
  getPolicy: route({
    method: 'GET',
    path: '/sla/policies/{name}',
    function: 'sla',
    access: STAFF,
    summary: 'One SLA policy',
    success: { status: 200, view: slaPolicyView, description: 'The policy and its version' },
    errors: [404],
  }),
  putPolicy: route({
    method: 'PUT',
    path: '/sla/policies/{name}',
    function: 'sla',
    access: ['admins'],
    summary: 'Create or edit an SLA policy (a new version); body.version, when given, must be the current version',
    body: slaPolicyBody,
    success: { status: 200, view: slaPolicyView, description: 'The stored version' },
    errors: [400, 409, 413, 415],
  }),
  listCalendars: route({
    method: 'GET',
    path: '/sla/calendars',
    function: 'sla',
    access: STAFF,
    summary: 'Every business-hours calendar (built-in defaults and stored edits)',
    success: { status: 200, view: slaCalendarListView, description: 'The calendars' },
    errors: [],
  }),
  getCalendar: route({
    method: 'GET',
    path: '/sla/calendars/{name}',
    function: 'sla',
    access: STAFF,
    summary: 'One business-hours calendar',
    success: { status: 200, view: slaCalendarView, description: 'The calendar and its version' },
    errors: [404],
  }),
  putCalendar: route({
    method: 'PUT',
    path: '/sla/calendars/{name}',
    function: 'sla',
    access: ['admins'],
    summary: 'Create or edit a business-hours calendar (a new version); body.version, when given, must be the current version',
    body: slaCalendarBody,
    success: { status: 200, view: slaCalendarView, description: 'The stored version' },
    errors: [400, 409, 413, 415],
  }),
};

export const SLA_ROUTES = Object.values(slaRoutes);
