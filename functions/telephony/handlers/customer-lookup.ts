import { parseContactFlowEvent } from '../adapters/connect/contact-flow-event.js';
import {
  CALLER_LOOKUP_KEYS,
  callerLookupMap,
  FLOW_ANSWER_DEADLINE_MS,
  flowErrorMap,
  type FlowMap,
  flowTimeoutMap,
} from '../adapters/connect/flow-map.js';
import { lookupCallerDepsFromEnv } from '../adapters/call-deps-from-env.js';
import { answerWithin } from '#platform/adapters/deadline';
import { logger } from '#platform/adapters/logger';
import { DomainError } from '#platform/domain/errors';
import type { LookupCallerDeps } from '../use-cases/deps.js';
import { lookupCaller } from '../use-cases/lookup-caller.js';

// Composed on the first invocation, not at import: even a missing variable must answer the flow
// with its error map (the log names the variable) rather than fail the function's start.
let deps: LookupCallerDeps | undefined;

/**
 * Contact flow → who is calling (docs/connect.md): the customer behind the caller's number, their
 * open cases and the queue the call should go to, as a flat string map. Never throws at the flow:
 * any failure answers `{status: "error", reason}`.
 */
export async function handler(event: unknown): Promise<FlowMap> {
  const answer = await answerWithin(
    FLOW_ANSWER_DEADLINE_MS,
    () => lookUp(event),
    () => flowTimeoutMap(CALLER_LOOKUP_KEYS),
  );
  if (answer.late) logger.error('caller lookup missed the flow deadline', { deadlineMs: FLOW_ANSWER_DEADLINE_MS });
  return answer.value;
}

async function lookUp(event: unknown): Promise<FlowMap> {
  let contactId: string | undefined;
  try {
    deps ??= lookupCallerDepsFromEnv();
    const request = parseContactFlowEvent(event);
    contactId = request.contact.contactId;
    const lookup = await lookupCaller(deps, { callerAddress: request.callerAddress });
    // No phone number in the logs: the contact id leads to it in Connect for those allowed to see it.
    logger.info('caller looked up', {
      contactId,
      found: lookup.customerId !== null,
      withheld: lookup.phone === null,
      customerId: lookup.customerId,
      openCaseCount: lookup.openCaseCount,
    });
    return callerLookupMap(lookup);
  } catch (error) {
    // A refused request (bad event, withheld number) is the flow's business; anything else is ours.
    if (error instanceof DomainError) logger.warn('caller lookup failed', { contactId, code: error.code, reason: error.message });
    else logger.error('caller lookup failed', { contactId, error: error as Error });
    return flowErrorMap(error);
  }
}
