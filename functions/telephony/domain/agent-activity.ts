import type { Presence } from '#agents';
import type { Channel } from '#cases';

/**
 * What Amazon Connect's agent event stream tells us about an agent, reduced to what routing uses.
 * The adapter (`functions/telephony/adapters/connect/agent-event.ts`) turns the raw Kinesis record into this;
 * the data model is https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html
 */

/**
 * LOGIN and LOGOUT: the agent signed in to or out of the contact center. STATE_CHANGE: the agent's
 * status, a contact's state, or the agent's configuration (routing profile, its queues, …) changed.
 * HEART_BEAT: sent every 120 s when nothing else was, and for up to an hour after the agent logged off.
 */
export const CONNECT_AGENT_EVENT_TYPES = ['STATE_CHANGE', 'HEART_BEAT', 'LOGIN', 'LOGOUT'] as const;
export type ConnectAgentEventType = (typeof CONNECT_AGENT_EVENT_TYPES)[number];

/** Connect's channels (the API's `Channel` values). */
export const CONNECT_CHANNELS = ['VOICE', 'CHAT', 'TASK', 'EMAIL'] as const;
export type ConnectChannel = (typeof CONNECT_CHANNELS)[number];

/**
 * A contact's state as the agent event stream reports it, with the documented meaning
 * (https://docs.aws.amazon.com/connect/latest/adminguide/about-contact-states.html):
 *
 * - INCOMING: a queued callback is being presented to the agent.
 * - PENDING: also specific to queued callbacks (the documentation says no more).
 * - CONNECTING: an inbound contact is being offered (it is ringing); the agent has not accepted,
 *   rejected or missed it yet.
 * - CONNECTED: the agent accepted; the customer is in a conversation with the agent.
 * - CONNECTED_ONHOLD: still in the conversation, with the customer put on hold by the agent.
 * - PAUSED: a task the agent paused (tasks only).
 * - MISSED: the agent missed the contact. Rejected voice contacts also appear as MISSED.
 * - ERROR: e.g. the customer abandoned the call during the outbound whisper.
 * - ENDED: the conversation ended and the agent started after-contact work (ACW) on it.
 * - REJECTED: the agent rejected the contact, or the customer abandoned it while it was connecting
 *   to the agent (not used for voice).
 */
export const CONNECT_CONTACT_STATES = [
  'INCOMING',
  'PENDING',
  'CONNECTING',
  'CONNECTED',
  'CONNECTED_ONHOLD',
  'PAUSED',
  'MISSED',
  'ERROR',
  'ENDED',
  'REJECTED',
] as const;
export type ConnectContactState = (typeof CONNECT_CONTACT_STATES)[number];

/** One contact in the agent's current snapshot. */
export interface ConnectContact {
  contactId: string;
  channel: ConnectChannel;
  state: ConnectContactState;
}

/** The agent status set in the CCP (or by a supervisor), e.g. Available, Break, Offline. */
export interface ConnectAgentStatus {
  name: string;
  /**
   * ROUTABLE, CUSTOM or OFFLINE where Connect sends it; null when the record has no `Type` (the
   * documented examples of the event stream show only ARN, Name and StartTimestamp).
   */
  type: string | null;
}

/** One agent event stream record. */
export interface ConnectAgentEvent {
  eventId: string;
  eventType: ConnectAgentEventType;
  /** When the event happened (ISO 8601, UTC). */
  at: string;
  /** The agent's ARN; Connect also uses it as the Kinesis partition key, so one agent's events stay in order. */
  agentArn: string;
  /** The agent's Connect user name, or null when the record carries no configuration. */
  username: string | null;
  agentStatus: ConnectAgentStatus | null;
  /**
   * Every contact in the current snapshot, whatever its state (use `occupyingContacts` for load).
   * Empty when the agent has none, and also when a LOGOUT or HEART_BEAT record carries no current
   * snapshot; a STATE_CHANGE without one is refused by the adapter rather than read as "no contacts".
   */
  contacts: ConnectContact[];
}

/**
 * The states in which a contact holds the agent's attention: offered to them (INCOMING, PENDING,
 * CONNECTING) or in conversation (CONNECTED, CONNECTED_ONHOLD).
 *
 * Not occupying: MISSED, ERROR and REJECTED never reached the agent, or left them. ENDED means the
 * conversation is over; the agent is in after-contact work, which this policy treats as free. Note
 * that Connect itself does not route a new contact to the agent until ACW is cleared (the contact
 * drops out of the snapshot then), so counting ENDED would be the stricter choice. PAUSED is a task
 * set aside: pausing exists to free the agent's slot for other work.
 */
const OCCUPYING_STATES: ReadonlySet<ConnectContactState> = new Set<ConnectContactState>([
  'INCOMING',
  'PENDING',
  'CONNECTING',
  'CONNECTED',
  'CONNECTED_ONHOLD',
]);

/** The contacts that hold the agent's attention now (see `OCCUPYING_STATES`), in their given order. */
export function occupyingContacts(contacts: readonly ConnectContact[]): ConnectContact[] {
  return contacts.filter((contact) => OCCUPYING_STATES.has(contact.state));
}

const CHANNEL_OF_CONTACT: Readonly<Record<ConnectChannel, Channel>> = {
  VOICE: 'phone',
  CHAT: 'chat',
  // Connect tasks are work items raised by flows, rules or the API: closest to a web form.
  TASK: 'web',
  EMAIL: 'email',
};

/** Our channel for a Connect channel. */
export function channelOfContact(channel: ConnectChannel): Channel {
  return CHANNEL_OF_CONTACT[channel];
}

/**
 * The presence a Connect agent status means for Switchboard, so one status governs both: the
 * routable status (`Available`) is `available`; `Offline` (or a logout) is `offline`; any custom
 * status (Break, Lunch, Training, …) is `away`. Null when the event names no status (a heartbeat
 * without a snapshot): presence then stays as it is.
 */
export function presenceOfAgentStatus(eventType: ConnectAgentEventType, status: ConnectAgentStatus | null): Presence | null {
  if (eventType === 'LOGOUT') return 'offline';
  if (!status) return null;
  const type = status.type?.toUpperCase() ?? null;
  const name = status.name.trim().toLowerCase();
  if (type === 'ROUTABLE' || (type === null && name === 'available')) return 'available';
  if (type === 'OFFLINE' || (type === null && name === 'offline')) return 'offline';
  return 'away';
}
