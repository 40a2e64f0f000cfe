import * as z from 'zod';
import { ValidationError } from '#platform/domain/errors';
import { fieldIssuesOf, invalidEvent } from './invalid-event.js';
import {
  CONNECT_AGENT_EVENT_TYPES,
  CONNECT_CHANNELS,
  CONNECT_CONTACT_STATES,
  type ConnectAgentEvent,
} from '../../domain/agent-activity.js';

/**
 * Amazon Connect agent event stream records, as Connect writes them to the Kinesis data stream
 * (https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html).
 *
 * Only the fields we use are checked, and those strictly; everything else (AWSAccountId,
 * InstanceARN, Version, PreviousAgentSnapshot, routing profile, queues, timestamps of contacts, and
 * whatever Connect adds later) is ignored, so new or null fields elsewhere never break parsing.
 * Queue names, for one, are documented as null for agent queues. An event type, channel or contact
 * state outside the documented lists is refused (the error names its path) rather than guessed at.
 */

/** arn:<partition>:connect:<region>:<account>:instance/<instance id>/agent/<agent id> */
const AGENT_ARN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[^/\s]+\/agent\/[^/\s]+$/;

const contactSchema = z.object({
  ContactId: z.string().min(1),
  Channel: z.enum(CONNECT_CHANNELS),
  State: z.enum(CONNECT_CONTACT_STATES),
});

const agentSnapshotSchema = z.object({
  AgentStatus: z.object({ Name: z.string().min(1), Type: z.string().min(1).nullish() }).nullish(),
  Configuration: z.object({ Username: z.string().min(1).nullish() }).nullish(),
  // Documented as present in every snapshot ("Contacts": [] when there are none). A snapshot without
  // a list is refused: reading it as "no contacts" would free the agent's capacity by mistake.
  Contacts: z.array(contactSchema),
});

const agentEventSchema = z.object({
  EventId: z.string().min(1),
  EventType: z.enum(CONNECT_AGENT_EVENT_TYPES),
  // Documented as yyyy-mm-ddThh:mm:ss.sssZ; an explicit offset is accepted too and normalised to UTC.
  EventTimestamp: z.iso.datetime({ offset: true }),
  AgentARN: z.string().regex(AGENT_ARN, 'expected an Amazon Connect agent ARN (arn:aws:connect:…:instance/…/agent/…)'),
  // Documented for every event type (only PreviousAgentSnapshot is "not applicable to LOGIN or
  // LOGOUT"), but LOGOUT and HEART_BEAT records (heart beats continue for up to an hour after logout)
  // are tolerated without one; a STATE_CHANGE without one is refused below.
  CurrentAgentSnapshot: agentSnapshotSchema.nullish(),
});

/**
 * Parses one agent event stream record (already decoded, see `decodeKinesisData`). Throws
 * `ValidationError` naming each bad field by its path in the record, e.g.
 * `CurrentAgentSnapshot.Contacts[0].State`.
 */
export function parseConnectAgentEvent(value: unknown): ConnectAgentEvent {
  const result = agentEventSchema.safeParse(value);
  if (!result.success) {
    throw invalidEvent('the Connect agent event is not valid', fieldIssuesOf(result.error.issues, { whole: '(the record)' }));
  }
  const record = result.data;
  const snapshot = record.CurrentAgentSnapshot ?? null;
  if (snapshot === null && record.EventType === 'STATE_CHANGE') {
    throw invalidEvent('the Connect agent event is not valid', [
      { path: 'CurrentAgentSnapshot', message: 'a STATE_CHANGE event needs the current agent snapshot' },
    ]);
  }
  const status = snapshot?.AgentStatus ?? null;
  return {
    eventId: record.EventId,
    eventType: record.EventType,
    at: new Date(record.EventTimestamp).toISOString(),
    agentArn: record.AgentARN,
    username: snapshot?.Configuration?.Username ?? null,
    agentStatus: status === null ? null : { name: status.Name, type: status.Type ?? null },
    contacts: (snapshot?.Contacts ?? []).map((contact) => ({
      contactId: contact.ContactId,
      channel: contact.Channel,
      state: contact.State,
    })),
  };
}

/** Standard base64 (RFC 4648 section 4) with padding, which is how Lambda hands over Kinesis data. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The JSON value in a Kinesis record's `data` (base64 → UTF-8 → JSON). Throws `ValidationError`
 * (path `kinesis.data`) when the data is not base64, not UTF-8 or not JSON.
 */
export function decodeKinesisData(base64: string): unknown {
  if (!BASE64.test(base64)) {
    throw kinesisDataError('is not base64', 'expected standard base64 with padding');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64, 'base64'));
  } catch {
    throw kinesisDataError('is not UTF-8 text', 'the decoded bytes are not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw kinesisDataError('is not JSON', reason);
  }
}

function kinesisDataError(what: string, message: string): ValidationError {
  return new ValidationError(`the Kinesis record data ${what}: ${message}`, [{ path: 'kinesis.data', message }]);
}
