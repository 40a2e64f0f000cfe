import type { z } from 'zod';
import { caseChangeDepsFromEnv, caseDepsFromEnv, mergeDepsFromEnv } from '../../adapters/compose/case-deps.js';
import { replyDepsFromEnv } from '../../adapters/compose/reply-deps.js';
import type { Case } from '../../domain/cases/case.js';
import { ValidationError } from '../../domain/errors.js';
import { addNote } from '../../domain/use-cases/add-note.js';
import { getCaseDetail } from '../../domain/use-cases/get-case-detail.js';
import { getTimeline } from '../../domain/use-cases/get-timeline.js';
import { listCases } from '../../domain/use-cases/list-cases.js';
import { mergeCases } from '../../domain/use-cases/merge-cases.js';
import { openCase } from '../../domain/use-cases/open-case.js';
import { replyToCase } from '../../domain/use-cases/reply-to-case.js';
import { updateCase } from '../../domain/use-cases/update-case.js';
import type { schemas } from './contract.js';
import { createApiHandler } from './http/api-handler.js';
import { presentCase, presentMessage } from './presenters.js';

const deps = caseDepsFromEnv();
const changeDeps = caseChangeDepsFromEnv();
const replyDeps = replyDepsFromEnv();
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
  'POST /cases/{id}/replies': async ({ params, body, actor }) => {
    const reply = await replyToCase(replyDeps, { caseId: params.id ?? '', ...(body as z.infer<typeof schemas.replyBody>) }, actor);
    return { body: presentMessage(reply) };
  },
  'POST /cases/{id}/merge': async ({ params, body, actor }) => {
    const target = await mergeCases(
      mergeDeps,
      { sourceId: params.id ?? '', targetId: (body as z.infer<typeof schemas.mergeBody>).intoCaseId },
      actor,
    );
    return withEtag(target);
  },
  'GET /cases/{id}/timeline': async ({ params, query }) => ({
    body: await getTimeline(deps, params.id ?? '', query as z.infer<typeof schemas.pageQuery>),
  }),
});
