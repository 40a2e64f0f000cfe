import { type Actor, systemActor } from '#platform/domain/actor';
import type { Case } from '#cases';
import type { TimelineEntry } from '#cases';
import type { Callback } from '../domain/callback.js';
import { callerPhone } from '../domain/caller-number.js';
import { newestOpenCase } from '../domain/newest-open-case.js';
import { failedCallbackNote, unreachedMail } from '../domain/callback-notices.js';
import type { CallbackCommit } from '../domain/callback-ports.js';
import { countedAttempts } from '../domain/callback.js';
import { type CallDurations, type ContactEvent, callDurations } from '../domain/contact-event.js';
import { hourOf } from '../domain/missed-calls-report.js';
import { type Customer, primaryIdentity } from '#customers';
import { type CaseMessage, queuedEmail } from '#cases';
import { senderAddressOf } from '#email';
import { referenceMarker, subjectTag } from '#email';
import type { Note } from '#cases';
import type { ContactEventDeps } from './deps.js';

/**
 * What the callback use cases share: audit entries, what finishing a callback writes (reached;
 * failed for good, with the note and the customer's mail), and the reads that find a caller.
 */

/** Who records calls on cases (as the contact-flow functions do). */
export const CONNECT_EVENTS_ACTOR: Actor = systemActor('connect');
/** Who keeps callbacks: creates their cases, dials, writes their notes. */
export const CALLBACKS_ACTOR: Actor = systemActor('callbacks');

export function auditEntry(
  deps: Pick<ContactEventDeps, 'ids'>,
  actor: Actor,
  caseId: string,
  action: string,
  at: string,
  data: Record<string, unknown>,
): TimelineEntry {
  return { id: deps.ids.newId(), caseId, at, actor: { kind: actor.kind, id: actor.id }, action, changes: [], data };
}

/** The facts of a call for its audit entry: who took it, where it waited, how long it took, the recording. */
export function callFacts(event: ContactEvent, agentId: string | null, queue: string | null): Record<string, unknown> & CallDurations {
  return {
    contactId: event.contactId,
    initialContactId: event.initialContactId,
    initiationMethod: event.initiationMethod,
    // The agent's ARN always; our agent when their ARN is known from Connect's agent events.
    agentId,
    agentArn: event.agent?.arn ?? null,
    queue,
    connectQueueArn: event.queue?.arn ?? null,
    ...callDurations(event),
    initiatedAt: event.initiationAt,
    disconnectedAt: event.disconnectAt,
    disconnectReason: event.disconnectReason,
    recording: event.recordings[0] ?? null,
  };
}

/** An hour's counter increment. */
export function countAt(at: string, stat: 'missed' | 'dialled' | 'reached' | 'failed'): NonNullable<CallbackCommit['stats']>[number] {
  return { hour: hourOf(at), counts: { [stat]: 1 } };
}

/** What marking a callback reached writes beside the callback: its audit entry, the guard released, the counter. */
export function reachedParts(
  deps: Pick<ContactEventDeps, 'ids'>,
  reached: Callback,
  input: { contactId: string; agentId: string | null; agentArn: string; at: string },
): Pick<CallbackCommit, 'guard' | 'timeline' | 'stats'> {
  const attempt = reached.attempts.find((candidate) => candidate.outcome === 'reached');
  return {
    guard: { action: 'release', phone: reached.phone, callbackId: reached.id },
    timeline: [
      auditEntry(deps, CALLBACKS_ACTOR, reached.caseId, 'callback.reached', input.at, {
        callbackId: reached.id,
        attempt: attempt?.number ?? null,
        contactId: input.contactId,
        agentId: input.agentId,
        agentArn: input.agentArn,
        phone: reached.phone,
      }),
    ],
    stats: [countAt(input.at, 'reached')],
  };
}

/** An unanswered attempt with a retry to come: its audit entry. */
export function retryParts(deps: Pick<ContactEventDeps, 'ids'>, retried: Callback, at: string): Pick<CallbackCommit, 'timeline'> {
  const attempt = [...retried.attempts].reverse().find((candidate) => candidate.outcome !== 'error');
  return {
    timeline: [
      auditEntry(deps, CALLBACKS_ACTOR, retried.caseId, 'callback.attempt_failed', at, {
        callbackId: retried.id,
        attempt: attempt?.number ?? null,
        outcome: attempt?.outcome ?? null,
        detail: attempt?.detail ?? null,
        nextAttemptAt: retried.nextAttemptAt,
      }),
    ],
  };
}

/**
 * A callback failed for good: the guard released, its audit entry, an internal note on the case
 * saying what was tried, and (when we know the customer's address) a mail telling the customer,
 * queued in the outbox. The mail is a `notification`: automated (sent with `Auto-Submitted:
 * auto-generated`, so auto-responders do not answer it), not an agent's reply, so it neither stamps
 * the case's first response nor moves its status; it carries the case tag and reference marker, so
 * the customer's answer joins the case.
 */
export async function failedParts(
  deps: Pick<ContactEventDeps, 'ids' | 'cases' | 'customers' | 'mailSettings'>,
  failed: Callback,
  at: string,
): Promise<Pick<CallbackCommit, 'guard' | 'timeline' | 'notes' | 'messages' | 'stats'>> {
  const [c, customer] = await Promise.all([deps.cases.getCase(failed.caseId), deps.customers.getCustomer(failed.customerId)]);
  const email = (customer ? primaryIdentity(customer, 'email') : null) ?? c?.customer.email ?? null;
  const message = c && email ? unreachedMessage(deps, c, customer, email, failed, at) : null;
  const note: Note = {
    id: deps.ids.newId(),
    caseId: failed.caseId,
    body: failedCallbackNote(failed, message ? email : null),
    authorId: CALLBACKS_ACTOR.id,
    createdAt: at,
  };
  return {
    guard: { action: 'release', phone: failed.phone, callbackId: failed.id },
    timeline: [
      auditEntry(deps, CALLBACKS_ACTOR, failed.caseId, 'callback.failed', at, {
        callbackId: failed.id,
        attempts: countedAttempts(failed),
        reason: failed.endReason,
        customerMailed: message !== null,
        ...(message ? { messageId: message.messageId } : {}),
      }),
    ],
    notes: [{ note, timeline: auditEntry(deps, CALLBACKS_ACTOR, failed.caseId, 'note.added', at, { noteId: note.id, body: note.body }) }],
    messages: message ? [message] : [],
    stats: [countAt(at, 'failed')],
  };
}

function unreachedMessage(
  deps: Pick<ContactEventDeps, 'ids' | 'mailSettings'>,
  c: Case,
  customer: Customer | null,
  to: string,
  failed: Callback,
  at: string,
): CaseMessage {
  const mail = unreachedMail(customer?.preferredLanguage ?? c.language, c.number, countedAttempts(failed));
  const id = deps.ids.newId();
  return queuedEmail({
    id,
    caseId: c.id,
    kind: 'notification',
    from: senderAddressOf(deps.mailSettings, c.queue),
    fromName: deps.mailSettings.senderName,
    to: [to],
    subject: `${mail.subject} ${subjectTag(c.number)}`,
    text: `${mail.text}\n\n${referenceMarker(c.number, c.replyToken)}`,
    messageId: `<${id.toLowerCase()}.callback.${c.number.toLowerCase()}@${deps.mailSettings.domain}>`,
    threading: 'notification',
    automation: 'callback failed',
    createdAt: at,
  });
}

/** Merges commit parts: lists are concatenated, the rest taken from the later part. */
export function mergeParts(...parts: Partial<CallbackCommit>[]): CallbackCommit {
  const merged: CallbackCommit = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part) as [keyof CallbackCommit, unknown][]) {
      if (value === undefined) continue;
      const existing = merged[key];
      (merged as Record<string, unknown>)[key] = Array.isArray(existing) && Array.isArray(value) ? [...existing, ...value] : value;
    }
  }
  return merged;
}

/** How many of a caller's newest cases are searched for an open one. */
export const CALLER_CASES_SEARCHED = 10;

/** The customer who owns a phone number, with their newest case still open for calls; two reads at most. */
export async function callerOf(
  deps: Pick<ContactEventDeps, 'customers'>,
  phone: string,
): Promise<{ customer: Customer; openCase: Case | null } | null> {
  const ownerId = await deps.customers.findCustomerIdByIdentity({ type: 'phone', value: phone });
  if (!ownerId) return null;
  const found = await deps.customers.getCustomerWithCases(ownerId, { limit: CALLER_CASES_SEARCHED });
  if (!found) return null;
  return { customer: found.customer, openCase: newestOpenCase(found.cases.items) };
}

/** The phone number of a contact: the event's customer address, else the first phone of the customer its flow linked. */
export async function phoneOfContact(
  deps: Pick<ContactEventDeps, 'customers'>,
  event: ContactEvent,
  linkedCustomerId: string | null,
): Promise<string | null> {
  const fromEvent = callerPhone(event.customerAddress);
  if (fromEvent || !linkedCustomerId) return fromEvent;
  const customer = await deps.customers.getCustomer(linkedCustomerId);
  return customer ? primaryIdentity(customer, 'phone') : null;
}

/**
 * Our agent behind a Connect agent ARN, or null: the member of staff whose `connectAgentArn` (learnt
 * from the agent event stream) it is. Mapping it otherwise would take a Connect API call.
 */
export async function agentIdOf(deps: Pick<ContactEventDeps, 'staff'>, agentArn: string | null): Promise<string | null> {
  if (agentArn === null) return null;
  const staff = await deps.staff.listAgents();
  return staff.find((agent) => agent.connectAgentArn !== null && agent.connectAgentArn === agentArn)?.id ?? null;
}
