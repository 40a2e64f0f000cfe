import { requeueDepsFromEnv } from '../adapters/outbox-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { requeueDueMail } from '../use-cases/requeue-due-mail.js';

const deps = requeueDepsFromEnv();

/**
 * Every minute (an EventBridge schedule): queues again the outbound mail whose retry is due, which
 * the outbox's stream trigger then sends. A failure throws, so the run is retried and, failing
 * still, lands in the email stack's failure queue (alarm).
 */
export async function handler(): Promise<{ requeued: number }> {
  const requeued = await requeueDueMail(deps);
  if (requeued > 0) logger.info('outbound email requeued', { requeued });
  return { requeued };
}
