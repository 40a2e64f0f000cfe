import { route } from '#platform/api/route';
import { pageQuery, STAFF } from '#platform/api/schema-parts';
import { addNoteBody, listCasesQuery, mergeBody, openCaseBody, updateCaseBody } from './schemas.js';
import { caseDetailView, casePageView, caseView, customerWithCasesView, messagePageView, noteView, timelinePageView } from './views.js';

/** The cases API function's routes (replying to a case is the email function's). */
export const caseRoutes = {
  openCase: route({
    method: 'POST',
    path: '/cases',
    function: 'cases',
    access: STAFF,
    summary: 'Open a case; the customer is found by email or phone, or created',
    body: openCaseBody,
    success: { status: 201, view: caseView, description: 'The new case' },
    errors: [400, 413, 415],
  }),
  listCases: route({
    method: 'GET',
    path: '/cases',
    function: 'cases',
    access: STAFF,
    summary: 'List cases, newest first, by status, queue, assignee, customer or priority',
    query: listCasesQuery,
    success: { status: 200, view: casePageView, description: 'A page of cases' },
    errors: [400],
  }),
  getCase: route({
    method: 'GET',
    path: '/cases/{id}',
    function: 'cases',
    access: STAFF,
    summary: 'Read a case by id or by number (CS-000042), with its newest 50 messages (oldest first) and the cursor of the older ones',
    success: { status: 200, view: caseDetailView, description: 'The case and its messages; its version is also in the ETag header' },
    errors: [404],
  }),
  caseMessages: route({
    method: 'GET',
    path: '/cases/{id}/messages',
    function: 'cases',
    access: STAFF,
    summary: 'The messages of a case (by id or number), a page at a time walking back from the newest; each page oldest first',
    query: pageQuery,
    success: { status: 200, view: messagePageView, description: 'A page of messages and the cursor of the older ones' },
    errors: [400, 404],
  }),
  updateCase: route({
    method: 'PATCH',
    path: '/cases/{id}',
    function: 'cases',
    access: STAFF,
    summary: 'Change a case (by id or number) the caller last saw at a version (If-Match or body.version)',
    body: updateCaseBody,
    headers: [{ name: 'If-Match', required: false, description: 'The case version the change is based on' }],
    success: { status: 200, view: caseView, description: 'The changed case' },
    errors: [400, 404, 409, 413, 415, 422],
  }),
  addNote: route({
    method: 'POST',
    path: '/cases/{id}/notes',
    function: 'cases',
    access: STAFF,
    summary: 'Add an internal note to a case (by id or number)',
    body: addNoteBody,
    success: { status: 201, view: noteView, description: 'The note' },
    errors: [400, 404, 413, 415],
  }),
  mergeCase: route({
    method: 'POST',
    path: '/cases/{id}/merge',
    function: 'cases',
    access: ['supervisors', 'admins'],
    summary: 'Merge this case (by id or number) into another: messages, notes and timeline move; this one closes with a pointer',
    body: mergeBody,
    success: { status: 200, view: caseView, description: 'The case merged into' },
    errors: [400, 404, 409, 413, 415, 422],
  }),
  timeline: route({
    method: 'GET',
    path: '/cases/{id}/timeline',
    function: 'cases',
    access: STAFF,
    summary: 'The audit trail of a case (by id or number), oldest first',
    query: pageQuery,
    success: { status: 200, view: timelinePageView, description: 'A page of timeline entries' },
    errors: [400, 404],
  }),
  customerWithCases: route({
    method: 'GET',
    path: '/customers/{id}',
    // The profile with its cases: a read of case items, so the cases feature serves it.
    function: 'cases',
    access: STAFF,
    summary: 'A customer with their identities and cases, newest first',
    query: pageQuery,
    success: { status: 200, view: customerWithCasesView, description: 'The customer and a page of their cases' },
    errors: [400, 404],
  }),
};

export const CASE_ROUTES = Object.values(caseRoutes);
