import { type ContactEvent, classifyContactEvent } from '../domain/contact-event.js';
import type { ContactEventDeps } from './deps.js';
import { agentIdOf } from './callback-commits.js';
import { endCallOnCase } from './end-call-on-case.js';
import { type CallbackOutcome, type DialledRef, recordCallbackOutcome } from './record-callback-outcome.js';
import { type CompletedCallOutcome, recordCompletedCall } from './record-completed-call.js';
import { type MissedCallOutcome, recordMissedCall } from './record-missed-call.js';

export type ContactEventOutcome =
  | { handledAs: 'ignored'; reason: string }
  | { handledAs: 'duplicate' }
  | { handledAs: 'callback_outcome'; result: { outcome: CallbackOutcome; callbackId: string; caseId: string | null } }
  | { handledAs: 'completed_call'; result: CompletedCallOutcome }
  | { handledAs: 'missed_call'; result: MissedCallOutcome };

/**
 * One Amazon Connect contact event (EventBridge, delivered at least once and in no particular
 * order) into cases and callbacks.
 *
 * 1. Only voice contacts, and of their events CONNECTED_TO_AGENT and DISCONNECTED, matter.
 * 2. Read what is known of the contact in one request: the case its flow linked it to (or the
 *    contact it was transferred from), the callback attempt that dialled it, and whether this event
 *    was handled before (a redelivery stops here).
 * 3. An outbound contact of a callback (named by its `callbackId`/`attempt` attributes when the event
 *    carries them, else by the record made when it was dialled): the attempt's outcome
 *    (`recordCallbackOutcome`).
 * 4. A contact the flow gave a case has ended: the case leaves Connect's hands (`endCallOnCase`),
 *    assigned to the agent who took the call when there was one.
 * 5. Otherwise a voice contact that reached an agent and ended: a completed call
 *    (`recordCompletedCall`); an inbound call that ended without reaching one: a missed call and its
 *    callback (`recordMissedCall`). Anything else (a CONNECTED_TO_AGENT of an inbound call, an
 *    agent's own unanswered outbound call) is left alone.
 */
export async function handleContactEvent(deps: ContactEventDeps, input: { event: ContactEvent }): Promise<ContactEventOutcome> {
  const { event } = input;
  const kind = classifyContactEvent(event);
  if (kind === 'irrelevant')
    return { handledAs: 'ignored', reason: `${event.channel} ${event.eventType}: not a voice contact reaching an agent or ending` };

  const related = [event.initialContactId, event.previousContactId].filter((id): id is string => id !== null && id !== event.contactId);
  const facts = await deps.callbacks.readContact({
    contactId: event.contactId,
    relatedContactIds: [...new Set(related)],
    eventType: event.eventType,
  });
  if (facts.handled) return { handledAs: 'duplicate' };

  const dialled = dialledRefOf(event) ?? facts.dialled;
  if (dialled) return { handledAs: 'callback_outcome', result: await recordCallbackOutcome(deps, { event, dialled }) };

  // The call the flow gave a case has ended: the case goes back to Switchboard (and to the agent
  // who took the call). First, so a retry after a later failure finds it done and changes nothing.
  // The staff are read once, for both.
  const agentId = kind === 'completed_call' ? await agentIdOf(deps, event.agent?.arn ?? null) : null;
  if ((kind === 'completed_call' || kind === 'missed_call') && facts.linkedCase) {
    await endCallOnCase(deps, {
      caseId: facts.linkedCase.caseId,
      contactId: event.contactId,
      agentId,
      connectedAt: event.agent?.connectedAt ?? null,
    });
  }

  switch (kind) {
    case 'completed_call':
      return { handledAs: 'completed_call', result: await recordCompletedCall(deps, { event, facts, agentId }) };
    case 'missed_call':
      return { handledAs: 'missed_call', result: await recordMissedCall(deps, { event, facts }) };
    case 'connected_to_agent':
      return { handledAs: 'ignored', reason: 'an inbound call reached an agent: it is recorded when it ends' };
    default:
      return {
        handledAs: 'ignored',
        reason: `a ${event.initiationMethod ?? 'voice'} contact ended without an agent and is not a callback`,
      };
  }
}

/** The callback attempt named by the contact's attributes (set when it was dialled), when the event carries them. */
function dialledRefOf(event: ContactEvent): DialledRef | null {
  const callbackId = event.attributes.callbackId;
  const attempt = Number(event.attributes.attempt);
  if (!callbackId || !Number.isInteger(attempt) || attempt < 1) return null;
  return { callbackId, attempt };
}
