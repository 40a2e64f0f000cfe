import type { z } from 'zod';
import type { schemas } from '#api/contract';
import { presentMessage } from '#cases/api/presenters';
import { createApiHandler } from '#platform/api/api-handler';
import { replyDepsFromEnv } from '../adapters/reply-deps-from-env.js';
import { replyToCase } from '../use-cases/reply-to-case.js';

const deps = replyDepsFromEnv();

export const handler = createApiHandler('email', {
  'POST /cases/{id}/replies': async ({ params, body, actor }) => {
    const reply = await replyToCase(deps, { caseId: params.id ?? '', ...(body as z.infer<typeof schemas.replyBody>) }, actor);
    return { body: presentMessage(reply) };
  },
});
