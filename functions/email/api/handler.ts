import { withDeliveryStatus } from '#cases';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { replyDepsFromEnv } from '../adapters/reply-deps-from-env.js';
import { getRawMessage } from '../use-cases/get-raw-message.js';
import { replyToCase } from '../use-cases/reply-to-case.js';
import { EMAIL_ROUTES, emailRoutes } from './routes.js';

const deps = replyDepsFromEnv();

export const handler = createApiHandler('email', EMAIL_ROUTES, [
  implement(emailRoutes.reply, async ({ params, body, actor }) => {
    const reply = await replyToCase(deps, { caseId: params.id, ...body }, actor);
    return { body: withDeliveryStatus(reply) };
  }),
  implement(emailRoutes.rawMessage, async ({ params }) => ({
    body: await getRawMessage(deps, { caseId: params.id, messageId: params.messageId }),
    headers: { 'Content-Disposition': `attachment; filename="${params.messageId.replace(/[^\w.-]/g, '_')}.eml"` },
  })),
]);
