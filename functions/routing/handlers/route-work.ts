import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { routingDepsFromEnv } from '../adapters/routing-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { routingMessage, workFromSnapshot } from '../adapters/sqs/routing-message.js';
import { expireOffer } from '../use-cases/expire-offer.js';
import { routeWork } from '../use-cases/route-work.js';

const deps = routingDepsFromEnv();

/**
 * Routing queues → the router. A `route` message places an item (offer or backlog); an
 * `expire-offer` message ends an offer nobody answered. A message that is not one of ours is
 * logged and dropped (retrying cannot fix it); a failure is retried by SQS, then dead-lettered.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const parsed = routingMessage.safeParse(safeJson(record.body));
    if (!parsed.success) {
      logger.error('routing message dropped: not a routing message', { messageId: record.messageId, issues: parsed.error.issues });
      continue;
    }
    const message = parsed.data;
    try {
      if (message.type === 'route') {
        const result = await routeWork(deps, {
          item: workFromSnapshot(message.item),
          excludeDecliners: message.excludeDecliners,
          recheckId: message.recheckId,
        });
        logger.info('routed', {
          workId: message.item.id,
          outcome: result.outcome,
          ...(result.outcome === 'offered' ? { agentId: result.agentId } : {}),
          ...(result.outcome === 'backlog' ? { recheckInSeconds: result.recheckInSeconds, reason: result.decision.reason } : {}),
        });
      } else {
        const outcome = await expireOffer(deps, { workId: message.workId, agentId: message.agentId, offerId: message.offerId });
        logger.info('offer timeout', { workId: message.workId, agentId: message.agentId, outcome });
      }
    } catch (error) {
      logger.error('routing message failed', { messageId: record.messageId, type: message.type, error: error as Error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
