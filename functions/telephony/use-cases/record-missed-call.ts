import type { Case } from '#cases';
import { isOpenForCalls } from '../domain/newest-open-case.js';
import type { Callback } from '../domain/callback.js';
import { newCallback, withMissedCall } from '../domain/callback-lifecycle.js';
import type { CallbackCommit, ContactFacts, NewCallCase } from '../domain/callback-ports.js';
import { queueOfConnectQueue } from '../domain/callback-settings.js';
import { type ContactEvent, callDurations } from '../domain/contact-event.js';
import { isoNow } from '#platform/domain/clock';
import type { Customer, Identity } from '#customers';
import { ContentionError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { ContactEventDeps } from './deps.js';
import { CALLBACKS_ACTOR, CONNECT_EVENTS_ACTOR, auditEntry, callerOf, countAt, phoneOfContact } from './callback-commits.js';
import { buildNewCase, resolveCustomer } from '#cases';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';

export type MissedCallOutcome =
  | { outcome: 'callback_created' | 'callback_updated'; callbackId: string; caseId: string; caseCreated: boolean }
  /** Withheld or unknown number and no case to learn it from: counted for the report, nobody to call. */
  | { outcome: 'unknown_caller'; callbackId: null; caseId: null; caseCreated: false }
  | { outcome: 'duplicate'; callbackId: null; caseId: null; caseCreated: false };

/**
 * An inbound call ended before an agent took it (abandoned in the flow or in the queue): record the
 * missed call and promise the caller a callback, once per number.
 *
 * 1. The caller's number: the event's customer address (E.164), else the phone of the customer the
 *    contact flow linked the call to. Without one, only count the missed call (report) and stop.
 * 2. Read the number's unfinished callback (through the one-per-number guard) and the caller.
 * 3. The case the callback follows: the case the flow linked the call to, else the callback's own
 *    case, else the caller's newest case still open for calls, as long as it is open; else a new
 *    `phone` case opened through the shared intake ("Missed call from …", by the system actor
 *    `callbacks`), for the caller or a new customer with the phone identity.
 * 4. A new callback (due at once, VIP before others), or the existing one counted up (never a
 *    second one); a `call.missed` audit entry on the case; the hour's `missed` counter.
 * 5. Commit it all in one transaction with the record that this event was handled: a redelivered
 *    event finds it and changes nothing. The guard must be free for a new callback, so of two
 *    missed calls at once one creates it and the other, re-reading, counts itself in; other lost
 *    races (case number, identity, the callback's version) read again and retry.
 */
export async function recordMissedCall(
  deps: ContactEventDeps,
  input: { event: ContactEvent; facts: ContactFacts },
): Promise<MissedCallOutcome> {
  const { event, facts } = input;
  const missedAt = event.disconnectAt ?? event.at;
  const phone = await phoneOfContact(deps, event, facts.linkedCase?.customerId ?? null);
  const handled = (outcome: string, caseId: string | null, callbackId: string | null) => ({
    contactId: event.contactId,
    eventType: event.eventType,
    eventId: event.eventId,
    outcome,
    caseId,
    callbackId,
    at: isoNow(deps.clock),
  });

  if (phone === null) {
    try {
      await deps.callbacks.commit({ handled: handled('missed_call_unknown_caller', null, null), stats: [countAt(missedAt, 'missed')] });
    } catch (error) {
      if (error instanceof CommitConflict && error.reason === 'duplicate')
        return { outcome: 'duplicate', callbackId: null, caseId: null, caseCreated: false };
      throw error;
    }
    return { outcome: 'unknown_caller', callbackId: null, caseId: null, caseCreated: false };
  }

  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    try {
      const now = isoNow(deps.clock);
      const [{ callback: existing, guardOf }, caller] = await Promise.all([deps.callbacks.findOpenCallback(phone), callerOf(deps, phone)]);
      const target = await caseForCall(deps, { event, phone, linkedCaseId: facts.linkedCase?.caseId ?? null, existing, caller });

      const callback: Callback = existing
        ? withMissedCall(existing, { contactId: event.contactId, missedAt, now, customer: target.customer, case: target.case })
        : newCallback({
            id: deps.ids.newId(),
            phone,
            customer: target.customer,
            case: target.case,
            contactId: event.contactId,
            missedAt,
            now,
          });
      const commit: CallbackCommit = {
        handled: handled('missed_call', callback.caseId, callback.id),
        callback: { callback, expectedVersion: existing?.version ?? 0 },
        ...(existing ? {} : { guard: { action: 'claim' as const, phone, callbackId: callback.id, replacing: guardOf } }),
        newCase: target.newCase ?? undefined,
        timeline: [
          auditEntry(deps, CONNECT_EVENTS_ACTOR, callback.caseId, 'call.missed', now, {
            contactId: event.contactId,
            phone,
            callbackId: callback.id,
            missedCount: callback.missedCount,
            queue: callback.queue,
            connectQueueArn: event.queue?.arn ?? null,
            missedAt,
            inQueueSeconds: callDurations(event).inQueueSeconds,
            totalSeconds: callDurations(event).totalSeconds,
            disconnectReason: event.disconnectReason,
          }),
        ],
        stats: [countAt(missedAt, 'missed')],
      };
      await deps.callbacks.commit(commit);
      return {
        outcome: existing ? 'callback_updated' : 'callback_created',
        callbackId: callback.id,
        caseId: callback.caseId,
        caseCreated: target.newCase !== null,
      };
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason === 'duplicate') return { outcome: 'duplicate', callbackId: null, caseId: null, caseCreated: false };
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError('the missed call’s callback kept changing; EventBridge retries the event');
}

type CallerContext = Awaited<ReturnType<typeof callerOf>>;

/** The case a missed call belongs to (open for calls), with its customer; or a new phone case to open. */
async function caseForCall(
  deps: ContactEventDeps,
  input: { event: ContactEvent; phone: string; linkedCaseId: string | null; existing: Callback | null; caller: CallerContext },
): Promise<{ case: Case; customer: Customer; newCase: NewCallCase | null }> {
  for (const caseId of [input.linkedCaseId, input.existing?.caseId ?? null]) {
    if (!caseId) continue;
    const found = await deps.cases.getCase(caseId);
    if (!found || !isOpenForCalls(found.status)) continue;
    const customer =
      input.caller?.customer.id === found.customerId ? input.caller.customer : await deps.customers.getCustomer(found.customerId);
    if (customer) return { case: found, customer, newCase: null };
  }
  if (input.caller?.openCase) return { case: input.caller.openCase, customer: input.caller.customer, newCase: null };

  const identity: Identity = { type: 'phone', value: input.phone };
  const state = await deps.cases.readIntakeState([identity]);
  const resolved = resolveCustomer(deps, state.ownerByIdentity, [identity], input.caller?.customer ?? null, { name: null, language: null });
  const queue = queueOfConnectQueue(deps.settings, input.event.queue?.connectQueueId ?? null) ?? deps.settings.defaultQueue;
  const created = buildNewCase(
    deps,
    {
      subject: `Missed call from ${input.phone}`,
      description: `A call from ${input.phone} ended before an agent answered it (Amazon Connect contact ${input.event.contactId}). A callback is due.`,
      channel: 'phone',
      queue,
      customFields: { connectContactId: input.event.contactId },
      auditData: { connectContactId: input.event.contactId, reason: 'missed call' },
    },
    state.lastCaseSequence + 1,
    resolved.customer,
    CALLBACKS_ACTOR,
  );
  return {
    case: created.case,
    customer: resolved.customer,
    newCase: {
      case: created.case,
      timeline: created.timeline,
      customer: resolved.customer,
      createCustomer: resolved.isNew,
      claimIdentities: resolved.claim,
      expectedLastSequence: state.lastCaseSequence,
    },
  };
}
