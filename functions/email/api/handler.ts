import { viewerOf, withDeliveryStatus } from '#cases';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { caseAccessDepsFromEnv, replyDepsFromEnv } from '../adapters/reply-deps-from-env.js';
import { getRawMessage } from '../use-cases/get-raw-message.js';
import { replyToCase } from '../use-cases/reply-to-case.js';
import { EMAIL_ROUTES, emailRoutes } from './routes.js';

const deps = replyDepsFromEnv();
const access = caseAccessDepsFromEnv();

export const handler = createApiHandler('email', EMAIL_ROUTES, [
  implement(emailRoutes.reply, async ({ params, body, actor }) => {
    const reply = await replyToCase(deps, { caseId: params.id, viewer: await viewerOf(access, actor), ...body }, actor);
    return { body: withDeliveryStatus(reply) };
  }),
  implement(emailRoutes.rawMessage, async ({ params, actor }) => ({
    body: await getRawMessage(deps, { caseId: params.id, messageId: params.messageId, viewer: await viewerOf(access, actor) }),
    headers: { 'Content-Disposition': `attachment; filename="${params.messageId.replace(/[^\w.-]/g, '_')}.eml"` },
  })),
]);
