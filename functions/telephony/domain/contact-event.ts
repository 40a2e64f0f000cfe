/**
 * An Amazon Connect contact event (EventBridge `Amazon Connect Contact Event`), reduced to what
 * Switchboard acts on. Field names and casing are normalised by the adapter; timestamps are ISO
 * instants in UTC.
 */
export interface ContactEvent {
  /** The EventBridge event id. */
  eventId: string;
  /** INITIATED, QUEUED, CONNECTED_TO_AGENT, DISCONNECTED, COMPLETED, CONTACT_DATA_UPDATED, …: kept as sent. */
  eventType: string;
  contactId: string;
  initialContactId: string | null;
  previousContactId: string | null;
  /** VOICE, CHAT, TASK, EMAIL (upper-cased: the documented samples also say `Voice`). */
  channel: string;
  instanceArn: string | null;
  /** INBOUND, OUTBOUND, TRANSFER, QUEUE_TRANSFER, CALLBACK, API, DISCONNECT, … (upper-cased). */
  initiationMethod: string | null;
  initiationAt: string | null;
  disconnectAt: string | null;
  queue: { arn: string; connectQueueId: string | null; enqueuedAt: string | null } | null;
  agent: { arn: string; connectedAt: string | null } | null;
  /** The customer's address (`customerEndpoint.address`) when the event carries it. */
  customerAddress: string | null;
  /** User-defined contact attributes, when the event carries them. */
  attributes: Readonly<Record<string, string>>;
  disconnectReason: string | null;
  recordings: ContactRecording[];
  /** When EventBridge says the event happened (its `time`). */
  at: string;
}

export interface ContactRecording {
  /** Where the recording is (an S3 location, bucket/key). */
  location: string;
  status: string | null;
  mediaStreamType: string | null;
  participantType: string | null;
  startedAt: string | null;
  stoppedAt: string | null;
}

/** Whole seconds from one ISO instant to another, or null when either is unknown or they run backwards. */
function secondsBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const seconds = Math.round((Date.parse(to) - Date.parse(from)) / 1000);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** How long a finished call lasted, in whole seconds; each null when a timestamp it needs is missing. */
export interface CallDurations {
  /** Enqueued → connected to the agent (or → disconnected, for a call nobody took). */
  inQueueSeconds: number | null;
  /** Connected to the agent → disconnected. */
  withAgentSeconds: number | null;
  /** Initiated → disconnected. */
  totalSeconds: number | null;
}

export function callDurations(event: ContactEvent): CallDurations {
  const enqueuedAt = event.queue?.enqueuedAt ?? null;
  const connectedAt = event.agent?.connectedAt ?? null;
  return {
    inQueueSeconds: secondsBetween(enqueuedAt, connectedAt ?? event.disconnectAt),
    withAgentSeconds: secondsBetween(connectedAt, event.disconnectAt),
    totalSeconds: secondsBetween(event.initiationAt, event.disconnectAt),
  };
}

/** The agent id in an agent ARN (`…/agent/<id>`), or null. */
export function connectAgentIdOf(agentArn: string): string | null {
  return /\/agent\/([^/]+)$/.exec(agentArn)?.[1] ?? null;
}

/** What a contact event means to Switchboard. */
export type ContactEventKind =
  /** A voice contact that reached an agent has ended: it goes on its case's timeline. */
  | 'completed_call'
  /** An inbound voice call ended without reaching an agent (abandoned in the flow or the queue). */
  | 'missed_call'
  /** A voice contact reached an agent (an outbound callback is reached at this moment). */
  | 'connected_to_agent'
  /** A voice contact ended without an agent that is not an inbound call (an agent's own outbound, a transfer leg). */
  | 'unanswered_other'
  | 'irrelevant';

/**
 * Classifies an event. Only voice contacts count; of the event types, CONNECTED_TO_AGENT and
 * DISCONNECTED (COMPLETED repeats DISCONNECTED after the agent's after-contact work, and is left out
 * so nothing is recorded twice).
 */
export function classifyContactEvent(event: ContactEvent): ContactEventKind {
  if (event.channel !== 'VOICE') return 'irrelevant';
  if (event.eventType === 'CONNECTED_TO_AGENT') return event.agent ? 'connected_to_agent' : 'irrelevant';
  if (event.eventType !== 'DISCONNECTED') return 'irrelevant';
  if (event.agent) return 'completed_call';
  return event.initiationMethod === 'INBOUND' ? 'missed_call' : 'unanswered_other';
}
