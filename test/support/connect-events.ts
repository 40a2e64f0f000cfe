import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The instance the local runtime's telephony stack is synthesized for (`LOCAL_CONNECT_CONTEXT`). */
export const LOCAL_INSTANCE_ARN = 'arn:aws:connect:eu-central-1:000000000000:instance/00000000-0000-4000-8000-00000000c0de';

/** Opening hours of every day, all day: a queue calendar that lets callbacks be dialled at any hour. */
export const ALWAYS_OPEN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
);

/** A Connect fixture (test/fixtures/connect), parsed afresh. */
export function connectFixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/connect', name), 'utf8')) as Record<string, any>;
}

/** A Polish mobile number no other test uses: `+48 52x xxx xxx`. */
export function uniquePhone(): string {
  return `+4852${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/**
 * An inbound call abandoned in the queue, as Connect reports it (the scenario fixture), for this
 * contact and, when given, caller (Connect's DISCONNECTED event may carry no caller number).
 */
export function abandonedCall(contactId: string, caller: string | null, eventId = randomUUID()): Record<string, any> {
  const event = connectFixture('contact-event-disconnected-inbound-abandoned.json');
  const now = new Date();
  event.id = eventId;
  event.time = now.toISOString();
  event.detail.contactId = contactId;
  event.detail.initialContactId = contactId;
  event.detail.instanceArn = LOCAL_INSTANCE_ARN;
  event.detail.initiationTimestamp = new Date(now.getTime() - 90_000).toISOString();
  event.detail.queueInfo.enqueueTimestamp = new Date(now.getTime() - 60_000).toISOString();
  event.detail.disconnectTimestamp = now.toISOString();
  if (caller) event.detail.customerEndpoint.address = caller;
  else delete event.detail.customerEndpoint;
  return event;
}
