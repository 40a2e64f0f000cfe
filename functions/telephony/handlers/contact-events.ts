import { contactEventDepsFromEnv } from '../adapters/callback-deps-from-env.js';
import { parseContactEvent } from '../adapters/connect/contact-event.js';
import { logger } from '#platform/adapters/logger';
import { ValidationError } from '#platform/domain/errors';
import { type ContactEventOutcome, handleContactEvent } from '../use-cases/handle-contact-event.js';

const deps = contactEventDepsFromEnv();

/**
 * Amazon Connect contact events (an EventBridge rule, one event per invocation) into case timelines,
 * missed calls and callback outcomes (docs/connect.md). A malformed or irrelevant event is logged and
 * dropped (retrying cannot fix it); any other failure is thrown, so EventBridge retries the event and
 * finally hands it to the rule's dead-letter queue. Every step is idempotent per contact and event
 * type, so a retry or a redelivery changes nothing twice.
 */
export async function handler(event: unknown): Promise<ContactEventOutcome | null> {
  let parsed;
  try {
    parsed = parseContactEvent(event);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    logger.error('contact event skipped: not a valid Amazon Connect contact event', { error: error.message, fields: error.fields });
    return null;
  }
  if (parsed.kind === 'irrelevant') {
    logger.info('contact event skipped', { reason: parsed.reason });
    return null;
  }
  const { event: contact } = parsed;
  const where = {
    eventId: contact.eventId,
    contactId: contact.contactId,
    eventType: contact.eventType,
    initiationMethod: contact.initiationMethod,
  };
  const outcome = await handleContactEvent(deps, { event: contact });
  if (outcome.handledAs === 'completed_call' && outcome.result.outcome === 'no_case') {
    logger.warn('completed call on no case: the flow linked no case and the caller has no open case', {
      ...where,
      agentArn: contact.agent?.arn,
    });
  } else if (outcome.handledAs === 'completed_call' && outcome.result.agentId === null) {
    logger.info('contact event', {
      ...where,
      outcome,
      note: 'agent ARN not mapped to staff (no agent event named it yet); the ARN is recorded',
    });
  } else if (outcome.handledAs === 'missed_call' && outcome.result.outcome === 'unknown_caller') {
    logger.warn('missed call from an unknown number: counted, no callback', where);
  } else {
    logger.info('contact event', { ...where, outcome });
  }
  return outcome;
}
