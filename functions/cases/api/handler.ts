import { caseChangeDepsFromEnv, mergeDepsFromEnv } from '../adapters/case-change-deps-from-env.js';
import { caseAccessDepsFromEnv } from '../adapters/case-access-from-env.js';
import { caseDepsFromEnv } from '../adapters/case-deps-from-env.js';
import { viewerOf } from '../use-cases/case-access.js';
import type { Case } from '../domain/case.js';
import { ValidationError } from '#platform/domain/errors';
import { addNote } from '../use-cases/add-note.js';
import { getCaseDetail } from '../use-cases/get-case-detail.js';
import { getCustomer } from '../use-cases/get-customer.js';
import { getMerge } from '../use-cases/get-merge.js';
import { getTimeline } from '../use-cases/get-timeline.js';
import { listCaseMessages } from '../use-cases/list-case-messages.js';
import { listCases } from '../use-cases/list-cases.js';
import { mergeCases } from '../use-cases/merge-cases.js';
import { openCase } from '../use-cases/open-case.js';
import { updateCase } from '../use-cases/update-case.js';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { CASE_ROUTES, caseRoutes } from './routes.js';
import { mergeBody, withDeliveryStatus } from './views.js';

const deps = caseDepsFromEnv();
const access = caseAccessDepsFromEnv();
const changeDeps = caseChangeDepsFromEnv();
const mergeDeps = mergeDepsFromEnv();

/** The case's version as an entity tag, so clients can send it back in If-Match. */
const withEtag = (c: Case) => ({ body: c, headers: { ETag: `"${c.version}"` } });

/** The version a PATCH is based on: If-Match (`"3"`, `W/"3"` or `3`) or, failing that, `version` in the body. */
function expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined): number {
  const fromHeader = ifMatch?.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  const version = fromHeader ? Number(fromHeader) : bodyVersion;
  if (version === undefined || !Number.isInteger(version) || version < 1) {
    throw new ValidationError('say which version you changed', [
      { path: 'header.If-Match', message: 'send If-Match: <version> or "version" in the body' },
    ]);
  }
  return version;
}

export const handler = createApiHandler('cases', CASE_ROUTES, [
  implement(caseRoutes.openCase, async ({ body, actor }) => {
    const created = await openCase(deps, body, actor);
    return { body: created, headers: { ETag: `"${created.version}"`, Location: `/cases/${created.id}` } };
  }),
  implement(caseRoutes.listCases, async ({ query, actor }) => ({ body: await listCases(deps, query, await viewerOf(access, actor)) })),
  implement(caseRoutes.getCase, async ({ params, actor }) => {
    const detail = await getCaseDetail(deps, params.id, await viewerOf(access, actor));
    return {
      body: { ...detail.case, messages: detail.messages.items.map(withDeliveryStatus), messagesCursor: detail.messages.nextCursor },
      headers: { ETag: `"${detail.case.version}"` },
    };
  }),
  implement(caseRoutes.caseMessages, async ({ params, query, actor }) => {
    const messages = await listCaseMessages(deps, params.id, query, await viewerOf(access, actor));
    return { body: { items: messages.items.map(withDeliveryStatus), nextCursor: messages.nextCursor } };
  }),
  implement(caseRoutes.updateCase, async ({ params, body, actor, header }) => {
    const { version, ...changes } = body;
    const updated = await updateCase(
      changeDeps,
      { id: params.id, expectedVersion: expectedVersion(header('If-Match'), version), changes, viewer: await viewerOf(access, actor) },
      actor,
    );
    return withEtag(updated);
  }),
  implement(caseRoutes.addNote, async ({ params, body, actor }) => ({
    body: await addNote(deps, { caseId: params.id, body: body.body, viewer: await viewerOf(access, actor) }, actor),
  })),
  implement(caseRoutes.mergeCase, async ({ params, body, actor }) => {
    const viewer = await viewerOf(access, actor);
    const job = await mergeCases(mergeDeps, { sourceId: params.id, targetId: body.intoCaseId, viewer }, actor);
    return { body: mergeBody(job), headers: { Location: `/merges/${job.id}` } };
  }),
  implement(caseRoutes.getMerge, async ({ params, actor }) => ({
    body: mergeBody(await getMerge(mergeDeps, params.id, await viewerOf(access, actor))),
  })),
  implement(caseRoutes.customerWithCases, async ({ params, query, actor }) => {
    const found = await getCustomer(deps, params.id, query, await viewerOf(access, actor));
    return {
      body: { customer: found.customer, cases: found.cases.items, nextCursor: found.cases.nextCursor, hiddenCases: found.hiddenCases },
    };
  }),
  implement(caseRoutes.timeline, async ({ params, query, actor }) => ({
    body: await getTimeline(deps, params.id, query, await viewerOf(access, actor)),
  })),
]);
