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

/**
 * A contact flow waits for its function 3 s by default (8 s at most): the flow functions answer by
 * this time whatever DynamoDB does, leaving the rest for the function's start and the network.
 */
export const FLOW_ANSWER_DEADLINE_MS = 2_500;

/** The reason of the map a flow function answers when its work missed the deadline. */
export const FLOW_TIMEOUT_REASON = 'timed out; the flow should go on without this answer';

/**
 * The answer when the work missed the deadline: every key of the function's own answer is present
 * (empty), so a flow that stores them finds each one, and `status` is `error`, so it takes its error
 * branch (e.g. the default queue) as for any other failure.
 */
export function flowTimeoutMap(keys: readonly string[]): FlowMap {
  return { ...Object.fromEntries(keys.map((key) => [key, ''])), status: 'error', reason: FLOW_TIMEOUT_REASON };
}

/** Every key of customer-lookup's answer. */
export const CALLER_LOOKUP_KEYS = Object.keys(
  callerLookupMap({ phone: null, customerId: null, profile: null, openCaseCount: 0, latestCase: null, suggestedQueue: null }),
);

/** Every key of open-or-link-case's answer. */
export const CALL_CASE_KEYS = ['status', 'caseId', 'caseNumber', 'linked', 'customerId'] as const;
