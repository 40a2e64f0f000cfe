import { parseCallCaseParameters, parseContactFlowEvent } from '../adapters/connect/contact-flow-event.js';
import {
  CALL_CASE_KEYS,
  callCaseMap,
  FLOW_ANSWER_DEADLINE_MS,
  flowErrorMap,
  type FlowMap,
  flowTimeoutMap,
} from '../adapters/connect/flow-map.js';
import { callCaseDepsFromEnv } from '../adapters/call-deps-from-env.js';
import { answerWithin } from '#platform/adapters/deadline';
import { logger } from '#platform/adapters/logger';
import { DomainError } from '#platform/domain/errors';
import type { CallCaseDeps } from '../use-cases/deps.js';
import { openOrLinkCallCase } from '../use-cases/open-or-link-call-case.js';

// Composed on the first invocation, not at import: even a missing variable must answer the flow
// with its error map (the log names the variable) rather than fail the function's start.
let deps: CallCaseDeps | undefined;

/**
 * Contact flow → the call's case (docs/connect.md): links the contact to the caller's open case or
 * opens a phone case, once per ContactId, and answers a flat string map. Never throws at the flow:
 * any failure, a withheld number included, answers `{status: "error", reason}`.
 */
export async function handler(event: unknown): Promise<FlowMap> {
  const answer = await answerWithin(
    FLOW_ANSWER_DEADLINE_MS,
    () => openOrLink(event),
    () => flowTimeoutMap(CALL_CASE_KEYS),
  );
  if (answer.late) logger.error('call case missed the flow deadline', { deadlineMs: FLOW_ANSWER_DEADLINE_MS });
  return answer.value;
}

async function openOrLink(event: unknown): Promise<FlowMap> {
  let contactId: string | undefined;
  try {
    deps ??= callCaseDepsFromEnv();
    const request = parseContactFlowEvent(event);
    contactId = request.contact.contactId;
    const parameters = parseCallCaseParameters(request.parameters);
    const outcome = await openOrLinkCallCase(deps, { contact: request.contact, callerAddress: request.callerAddress, ...parameters });
    logger.info('call case', {
      contactId,
      caseId: outcome.caseId,
      linked: outcome.linked,
      repeated: outcome.repeated,
      customerId: outcome.customerId,
    });
    return callCaseMap(outcome);
  } catch (error) {
    // A refused request (bad event, withheld number) is the flow's business; anything else is ours.
    if (error instanceof DomainError) logger.warn('call case failed', { contactId, code: error.code, reason: error.message });
    else logger.error('call case failed', { contactId, error: error as Error });
    return flowErrorMap(error);
  }
}
