import * as z from 'zod';
import type { ContactEvent, ContactRecording } from '../../domain/contact-event.js';
import { fieldIssuesOf, invalidEvent } from './invalid-event.js';

/**
 * Amazon Connect contact events as EventBridge delivers them to a rule's target
 * (https://docs.aws.amazon.com/connect/latest/adminguide/contact-events.html): `source`
 * `aws.connect`, `detail-type` `Amazon Connect Contact Event`, the contact in `detail`.
 *
 * The guide's own samples disagree on casing (`agentInfo.agentArn` in most, `AgentInfo.AgentArn`
 * and `QueueInfo.EnqueueTimestamp` in others; `channel` as `VOICE` and as `Voice`), and it asks
 * consumers to ignore fields they do not know and event types they do not handle. So: the first
 * letter of every key is lower-cased before checking (never inside user-defined maps:
 * `attributes`, `tags`), enumerations are upper-cased, only the fields used are checked (strictly:
 * a bad one is refused with its path), and everything else is ignored. `customerEndpoint`,
 * `attributes`, `disconnectReason` and `recordings` are used when present: the guide documents the
 * endpoint and recording objects but none of its contact event samples carries them.
 */

export const CONTACT_EVENT_SOURCE = 'aws.connect';
export const CONTACT_EVENT_DETAIL_TYPE = 'Amazon Connect Contact Event';

/** Maps whose keys are user data, left exactly as sent. */
const USER_MAPS = new Set(['attributes', 'tags', 'contactDetails', 'segmentAttributes']);

/** Connect's samples show placeholders such as `1970-01-01T00:00:00.001Z` for "not yet": any instant before 2000 is none. */
const EARLIEST_REAL_INSTANT = Date.parse('2000-01-01T00:00:00Z');

const instant = z.iso.datetime({ offset: true }).nullish();
const text = z.string().min(1).nullish();

const recordingSchema = z.object({
  location: z.string().nullish(),
  status: z.string().nullish(),
  mediaStreamType: z.string().nullish(),
  participantType: z.string().nullish(),
  startTimestamp: instant,
  stopTimestamp: instant,
});

const detailSchema = z.object({
  eventType: z.string().min(1),
  contactId: z.string().min(1).max(256),
  initialContactId: z.string().max(256).nullish(),
  previousContactId: z.string().max(256).nullish(),
  channel: z.string().min(1),
  instanceArn: text,
  initiationMethod: text,
  initiationTimestamp: instant,
  disconnectTimestamp: instant,
  queueInfo: z.object({ queueArn: text, enqueueTimestamp: instant }).nullish(),
  agentInfo: z.object({ agentArn: text, connectedToAgentTimestamp: instant }).nullish(),
  customerEndpoint: z.object({ address: z.string().nullish(), type: z.string().nullish() }).nullish(),
  attributes: z.record(z.string(), z.unknown()).nullish(),
  disconnectReason: z.union([z.string(), z.object({ code: z.string() })]).nullish(),
  recordings: z.array(recordingSchema).nullish(),
  recording: recordingSchema.nullish(),
});

const envelopeSchema = z.object({
  id: z.string().min(1),
  source: z.string(),
  'detail-type': z.string(),
  time: z.iso.datetime({ offset: true }),
  detail: z.record(z.string(), z.unknown()),
});

export type ParsedContactEvent = { kind: 'event'; event: ContactEvent } | { kind: 'irrelevant'; reason: string };

/**
 * Parses one EventBridge event. An event of another source or detail type is `irrelevant` (the rule
 * should not send it, and retrying cannot change it). Throws `ValidationError` naming each bad field
 * by its path, e.g. `detail.agentInfo.connectedToAgentTimestamp`.
 */
export function parseContactEvent(value: unknown): ParsedContactEvent {
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) throw invalidEvent('the contact event is not valid', fieldIssuesOf(envelope.error.issues));
  const { source, detail } = envelope.data;
  const detailType = envelope.data['detail-type'];
  if (source !== CONTACT_EVENT_SOURCE || detailType !== CONTACT_EVENT_DETAIL_TYPE) {
    return { kind: 'irrelevant', reason: `not an Amazon Connect contact event (source ${source}, detail-type ${detailType})` };
  }
  const parsed = detailSchema.safeParse(camelKeys(detail));
  if (!parsed.success) throw invalidEvent('the contact event is not valid', fieldIssuesOf(parsed.error.issues, { prefix: ['detail'] }));
  const d = parsed.data;
  const agentArn = d.agentInfo?.agentArn ?? null;
  const queueArn = d.queueInfo?.queueArn ?? null;
  return {
    kind: 'event',
    event: {
      eventId: envelope.data.id,
      eventType: d.eventType.toUpperCase(),
      contactId: d.contactId,
      initialContactId: d.initialContactId || null,
      previousContactId: d.previousContactId || null,
      channel: d.channel.toUpperCase(),
      instanceArn: d.instanceArn ?? null,
      initiationMethod: d.initiationMethod?.toUpperCase() ?? null,
      initiationAt: real(d.initiationTimestamp),
      disconnectAt: real(d.disconnectTimestamp),
      queue: queueArn
        ? {
            arn: queueArn,
            connectQueueId: /\/queue\/([^/]+)$/.exec(queueArn)?.[1] ?? null,
            enqueuedAt: real(d.queueInfo?.enqueueTimestamp),
          }
        : null,
      agent: agentArn ? { arn: agentArn, connectedAt: real(d.agentInfo?.connectedToAgentTimestamp) } : null,
      customerAddress: d.customerEndpoint?.address?.trim() || null,
      attributes: Object.fromEntries(
        Object.entries(d.attributes ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
      disconnectReason: typeof d.disconnectReason === 'string' ? d.disconnectReason : (d.disconnectReason?.code ?? null),
      recordings: [...(d.recordings ?? []), ...(d.recording ? [d.recording] : [])].flatMap((recording): ContactRecording[] =>
        recording.location
          ? [
              {
                location: recording.location,
                status: recording.status ?? null,
                mediaStreamType: recording.mediaStreamType ?? null,
                participantType: recording.participantType ?? null,
                startedAt: real(recording.startTimestamp),
                stoppedAt: real(recording.stopTimestamp),
              },
            ]
          : [],
      ),
      at: new Date(envelope.data.time).toISOString(),
    },
  };
}

/** An instant as UTC ISO, or null when absent or a placeholder. */
function real(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return ms >= EARLIEST_REAL_INSTANT ? new Date(ms).toISOString() : null;
}

/** `AgentInfo.AgentArn` → `agentInfo.agentArn`, recursively; user-defined maps keep their keys. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => {
      const camel = key.charAt(0).toLowerCase() + key.slice(1);
      return [camel, USER_MAPS.has(camel) ? inner : camelKeys(inner)];
    }),
  );
}
