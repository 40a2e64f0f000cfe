import type { EventBridgeEvent } from 'aws-lambda';
import { deliveryEventDepsFromEnv } from '../adapters/delivery-event-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { recordDeliveryEvent } from '../use-cases/record-delivery-event.js';

const deps = deliveryEventDepsFromEnv();

/**
 * EventBridge → bounce and complaint recorder. The rule passes SES's `Email Bounced` and `Email
 * Complaint Received` events of the deployment's configuration set; a failure throws, so
 * EventBridge retries the event.
 */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const outcome = await recordDeliveryEvent(deps, { region: event.region, detail: event.detail });
  if (outcome.outcome === 'unmatched' || outcome.outcome === 'ignored') {
    logger.warn('ses delivery event not recorded', { id: event.id, detailType: event['detail-type'], ...outcome });
  } else {
    logger.info('ses delivery event', { id: event.id, detailType: event['detail-type'], ...outcome });
  }
}
