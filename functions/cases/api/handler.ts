import type { z } from 'zod';
import { caseChangeDepsFromEnv, mergeDepsFromEnv } from '../adapters/case-change-deps-from-env.js';
import { caseDepsFromEnv } from '../adapters/case-deps-from-env.js';
import type { Case } from '../domain/case.js';
import { ValidationError } from '#platform/domain/errors';
import { addNote } from '../use-cases/add-note.js';
import { getCaseDetail } from '../use-cases/get-case-detail.js';
import { getCustomer } from '../use-cases/get-customer.js';
import { getTimeline } from '../use-cases/get-timeline.js';
import { listCases } from '../use-cases/list-cases.js';
import { mergeCases } from '../use-cases/merge-cases.js';
import { openCase } from '../use-cases/open-case.js';
import { updateCase } from '../use-cases/update-case.js';
import type { schemas } from '#api/contract';
import { createApiHandler } from '#platform/api/api-handler';
import { presentCase, presentMessage } from './presenters.js';

const deps = caseDepsFromEnv();
const changeDeps = caseChangeDepsFromEnv();
const mergeDeps = mergeDepsFromEnv();

/** The case's version as an entity tag, so clients can send it back in If-Match. */
const withEtag = (c: Case) => ({ body: presentCase(c), headers: { ETag: `"${c.version}"` } });

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

export const handler = createApiHandler('cases', {
  'POST /cases': async ({ body, actor }) => {
    const created = await openCase(deps, body as z.infer<typeof schemas.openCaseBody>, actor);
    return { body: presentCase(created), headers: { ETag: `"${created.version}"`, Location: `/cases/${created.id}` } };
  },
  'GET /cases': async ({ query }) => {
    const page = await listCases(deps, query as z.infer<typeof schemas.listCasesQuery>);
    return { body: { items: page.items.map(presentCase), nextCursor: page.nextCursor } };
  },
  'GET /cases/{id}': async ({ params }) => {
    const detail = await getCaseDetail(deps, params.id ?? '');
    return {
      body: { ...presentCase(detail.case), messages: detail.messages.map(presentMessage) },
      headers: { ETag: `"${detail.case.version}"` },
    };
  },
  'PATCH /cases/{id}': async ({ params, body, actor, header }) => {
    const { version, ...changes } = body as z.infer<typeof schemas.updateCaseBody>;
    const updated = await updateCase(
      changeDeps,
      { id: params.id ?? '', expectedVersion: expectedVersion(header('If-Match'), version), changes },
      actor,
    );
    return withEtag(updated);
  },
  'POST /cases/{id}/notes': async ({ params, body, actor }) => ({
    body: await addNote(deps, { caseId: params.id ?? '', body: (body as z.infer<typeof schemas.addNoteBody>).body }, actor),
  }),
  'POST /cases/{id}/merge': async ({ params, body, actor }) => {
    const target = await mergeCases(
      mergeDeps,
      { sourceId: params.id ?? '', targetId: (body as z.infer<typeof schemas.mergeBody>).intoCaseId },
      actor,
    );
    return withEtag(target);
  },
  'GET /customers/{id}': async ({ params, query }) => {
    const found = await getCustomer(deps, params.id ?? '', query as z.infer<typeof schemas.pageQuery>);
    return { body: { customer: found.customer, cases: found.cases.items.map(presentCase), nextCursor: found.cases.nextCursor } };
  },
  'GET /cases/{id}/timeline': async ({ params, query }) => ({
    body: await getTimeline(deps, params.id ?? '', query as z.infer<typeof schemas.pageQuery>),
  }),
});
