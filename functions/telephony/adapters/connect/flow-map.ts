import { DomainError, ValidationError } from '#platform/domain/errors';
import type { CallerLookup } from '../../use-cases/lookup-caller.js';
import type { CallCaseOutcome } from '../../use-cases/open-or-link-call-case.js';

/**
 * What a contact flow gets back: a flat map of strings. The "Invoke AWS Lambda function" block's
 * default response validation (STRING_MAP) takes nothing else, and the flow reads each key as
 * `$.External.<key>`.
 */
export type FlowMap = Record<string, string>;

/** The values a flow map is made of; anything nested is kept out by the type. */
export type FlowValue = string | number | boolean | null | undefined;

/** Each value as a string: booleans `"true"`/`"false"`, numbers in decimal, null and undefined `""`. */
export function toFlowMap(values: Readonly<Record<string, FlowValue>>): FlowMap {
  const map: FlowMap = {};
  for (const [key, value] of Object.entries(values)) {
    map[key] = value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
  }
  return map;
}

/** Error reasons are cut to this many characters: enough to read in the flow logs, small as an attribute. */
const MAX_REASON_CHARS = 300;

/**
 * The map that sends the flow down its error branch (`status` = `error`), with a reason safe to show
 * in flow logs: a domain error's own message, never a stack or a raw SDK exception.
 */
export function flowErrorMap(error: unknown): FlowMap {
  let reason = 'internal error';
  if (error instanceof ValidationError) reason = `invalid request: ${error.message}`;
  else if (error instanceof DomainError) reason = error.message;
  return toFlowMap({ status: 'error', reason: reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason });
}

/** customer-lookup's answer; every key is always present. */
export function callerLookupMap(lookup: CallerLookup): FlowMap {
  return toFlowMap({
    status: 'ok',
    found: lookup.customerId !== null,
    customerId: lookup.customerId,
    customerName: lookup.profile?.name,
    preferredLanguage: lookup.profile?.preferredLanguage,
    tier: lookup.profile?.tier,
    openCaseCount: lookup.customerId === null ? null : lookup.openCaseCount,
    latestCaseNumber: lookup.latestCase?.number,
    latestCaseStatus: lookup.latestCase?.status,
    suggestedQueue: lookup.suggestedQueue,
  });
}

/** open-or-link-case's answer. */
export function callCaseMap(outcome: CallCaseOutcome): FlowMap {
  return toFlowMap({
    status: 'ok',
    caseId: outcome.caseId,
    caseNumber: outcome.caseNumber,
    linked: outcome.linked,
    customerId: outcome.customerId,
  });
}
