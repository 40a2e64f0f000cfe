import * as z from 'zod';
import type { FieldIssue } from '#platform/domain/errors';
import { fieldIssuesOf, invalidEvent } from './invalid-event.js';
import type { CallContact } from '../../use-cases/open-or-link-call-case.js';

/**
 * The event a contact flow's "Invoke AWS Lambda function" block sends
 * (https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html):
 * `{"Name": "ContactFlowEvent", "Details": {"ContactData": {…}, "Parameters": {…}}}`.
 *
 * Only the fields we use are checked. Channel and initiation method are kept as given rather than
 * checked against a list, because Connect adds channels (EMAIL came later than VOICE and CHAT) and
 * neither changes what the functions do. `CustomerEndpoint`, `SystemEndpoint` and `Queue` may be
 * null (a task has no customer endpoint; a contact is in no queue until the flow sets one).
 * Everything else (MediaStreams, SegmentAttributes, Tags, LanguageCode, …) is ignored.
 */

const endpointSchema = z
  .object({
    Address: z.string().nullish(),
    Type: z.string().nullish(),
  })
  .nullish();

const contactDataSchema = z.object({
  ContactId: z.string().min(1),
  // Documented for every contact; when absent the contact is its own first contact.
  InitialContactId: z.string().min(1).nullish(),
  Channel: z.string().min(1),
  InitiationMethod: z.string().min(1),
  InstanceARN: z.string().min(1),
  CustomerEndpoint: endpointSchema,
  SystemEndpoint: endpointSchema,
  Queue: z.object({ Name: z.string().nullish(), ARN: z.string().nullish() }).nullish(),
  Attributes: z.record(z.string(), z.unknown()).nullish(),
});

const contactFlowEventSchema = z.object({
  Name: z.literal('ContactFlowEvent'),
  Details: z.object({
    ContactData: contactDataSchema,
    // Flow parameters are strings in Connect; values of other types are dropped (see below).
    Parameters: z.record(z.string(), z.unknown()).nullish(),
  }),
});

/** A contact flow event, as the contact-flow functions use it. */
export interface ContactFlowRequest {
  contact: CallContact;
  /** The caller's address when Connect gives a telephone number (`CustomerEndpoint.Address`), else null. */
  callerAddress: string | null;
  /** The number the customer called, when it is a telephone number. */
  dialledAddress: string | null;
  instanceArn: string;
  /** Contact attributes set so far in the flow (string values only). */
  attributes: Record<string, string>;
  /** The parameters the flow's block passes (string values only). */
  parameters: Record<string, string>;
}

/**
 * Parses a contact flow event. Throws `ValidationError` naming each bad field by its path in the
 * event, e.g. `Details.ContactData.ContactId`.
 */
export function parseContactFlowEvent(value: unknown): ContactFlowRequest {
  const result = contactFlowEventSchema.safeParse(value);
  if (!result.success) {
    throw invalidEvent('the contact flow event is not valid', fieldIssuesOf(result.error.issues));
  }
  const data = result.data.Details.ContactData;
  return {
    contact: {
      contactId: data.ContactId,
      initialContactId: data.InitialContactId ?? data.ContactId,
      channel: data.Channel,
      initiationMethod: data.InitiationMethod,
      queueName: data.Queue?.Name || null,
    },
    callerAddress: telephoneNumber(data.CustomerEndpoint),
    dialledAddress: telephoneNumber(data.SystemEndpoint),
    instanceArn: data.InstanceARN,
    attributes: stringsOnly(data.Attributes),
    parameters: stringsOnly(result.data.Details.Parameters),
  };
}

/** Reasons longer than this are refused: the flow passes an IVR choice or a short phrase, not a transcript. */
export const MAX_REASON_CHARS = 500;

/** A language tag as flows carry it (`pl`, `en-US`, `de_DE`); its primary subtag is the case language. */
const LANGUAGE_TAG = /^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$/;

/** The parameters of open-or-link-case (`Details.Parameters`). */
export interface CallCaseParameters {
  reason: string;
  queue?: string | undefined;
  /** Lower-case primary language subtag (`en-US` → `en`). */
  language?: string | undefined;
}

/**
 * Reads open-or-link-case's parameters: `reason` (required), `queue` and `language` (optional; an
 * empty value, which is what a flow passes for an attribute it never set, counts as absent).
 */
export function parseCallCaseParameters(parameters: Record<string, string>): CallCaseParameters {
  const issues: FieldIssue[] = [];
  const reason = parameters.reason?.trim() ?? '';
  if (reason === '') issues.push({ path: 'Details.Parameters.reason', message: 'required: why the customer calls' });
  else if (reason.length > MAX_REASON_CHARS)
    issues.push({ path: 'Details.Parameters.reason', message: `at most ${MAX_REASON_CHARS} characters` });
  const queue = parameters.queue?.trim() || undefined;
  const languageTag = parameters.language?.trim() || undefined;
  const language = languageTag === undefined ? undefined : LANGUAGE_TAG.exec(languageTag)?.[1]?.toLowerCase();
  if (languageTag !== undefined && language === undefined) {
    issues.push({ path: 'Details.Parameters.language', message: `not a language tag (e.g. pl, en-US): ${languageTag}` });
  }
  if (issues.length > 0) throw invalidEvent('the flow parameters are not valid', issues);
  return { reason, queue, language };
}

function telephoneNumber(endpoint: z.infer<typeof endpointSchema>): string | null {
  if (!endpoint) return null;
  // Email contacts carry EMAIL_ADDRESS here; only a telephone number identifies a caller.
  if (endpoint.Type && endpoint.Type !== 'TELEPHONE_NUMBER') return null;
  return endpoint.Address ?? null;
}

function stringsOnly(record: Record<string, unknown> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
