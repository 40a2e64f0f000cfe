import { type Actor, systemActor } from '#platform/domain/actor';
import type { Case } from '#cases';
import { diffCase, type TimelineEntry } from '#cases';
import { callerPhone } from '../domain/caller-number.js';
import { CallerWithheldError } from '../domain/caller-withheld-error.js';
import type { ContactRecord } from '../domain/call-ports.js';
import { newestOpenCase } from '../domain/newest-open-case.js';
import { isoNow } from '#platform/domain/clock';
import type { Identity } from '#customers';
import { ContentionError, ValidationError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { identityKey } from '#customers';
import type { CallCaseDeps } from './deps.js';
import { buildNewCase, resolveCustomer } from '#cases';
import { needsAgent } from '#routing';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';

/** The Amazon Connect contact a call case is about. */
export interface CallContact {
  /** Connect's ContactId: the idempotency key (Connect may invoke the function again for it). */
  contactId: string;
  /** The first contact of a chain of transfers; the same as `contactId` for a new call. */
  initialContactId: string;
  /** Connect's channel (`VOICE`, `CHAT`, …), as recorded on the timeline. */
  channel: string;
  /** How the contact started (`INBOUND`, `TRANSFER`, `CALLBACK`, …). */
  initiationMethod: string;
  /** The Connect queue the contact is in, when the flow set one before invoking the function. */
  queueName: string | null;
}

export interface OpenOrLinkCallCaseInput {
  contact: CallContact;
  /** The caller's address as Connect gives it (`CustomerEndpoint.Address`); null when there is none. */
  callerAddress: string | null;
  /** Why the customer calls, as the flow knows it (an IVR choice or a transcribed phrase). */
  reason: string;
  /** Our queue for a new case; the default queue when absent. */
  queue?: string | undefined;
  /** ISO 639-1 language of the call (`pl`, `en`, `de`), when the flow knows it. */
  language?: string | undefined;
}

export interface CallCaseOutcome {
  caseId: string;
  caseNumber: string;
  customerId: string;
  /** True when the call was linked to an open case, false when it opened a new one. */
  linked: boolean;
  /** True when an earlier invocation for the same contact had already done the work. */
  repeated: boolean;
}

/** How many of the caller's newest cases are searched for an open one. */
export const CALL_CASES_SEARCHED = 10;

/**
 * Times a linked case may be found changed since the customer index showed it before the call is
 * linked without holding it (the index lags the table; a case that keeps changing is being worked).
 */
const HOLD_ATTEMPTS = 2;

/** The component calls are handled by, as the audit trail names it. */
export const CONNECT_ACTOR: Actor = systemActor('connect');

/**
 * Gives a call its case: links it to the caller's newest open case, or opens a `phone` case for it.
 * Idempotent per Connect contact: a second invocation for the same ContactId answers the same case
 * and writes nothing.
 *
 * 1. Normalize the caller's number to E.164; a withheld number cannot find or create a customer.
 * 2. Read the contact's record, the case counter and the number's owner (one read request). A
 *    record means the contact was handled before: answer what it says.
 * 3. Read the owner's newest cases with their profile (one read request) and pick the newest one
 *    not resolved, closed or quarantined.
 * 4. With an open case: commit a `call.linked` audit entry and the contact's record, on the
 *    condition that the case is still open (one write request). A case that needs an agent (new or
 *    open, nobody's) is held out of Switchboard routing while the call lasts, as a case the call
 *    opens is (`connectCallInProgress`): Connect routes the caller, and the end of the call hands
 *    the case to the agent who took it (`endCallOnCase`). Held, the case is written only at the
 *    version read; one that keeps changing is linked without holding it.
 * 5. Without one: open a case through the shared intake (the owner, or a new customer with the
 *    phone identity), with the ContactId in the custom field `connectContactId` and a `call.started`
 *    audit entry, committed with the contact's record (one write request).
 * 6. When another invocation wrote first (the same contact, a case number, the identity) or the case
 *    closed meanwhile, read again and retry (bounded).
 *
 * @throws CallerWithheldError, ValidationError (empty reason, unknown queue), ContentionError
 */
export async function openOrLinkCallCase(deps: CallCaseDeps, input: OpenOrLinkCallCaseInput): Promise<CallCaseOutcome> {
  const phone = callerPhone(input.callerAddress);
  if (phone === null) throw new CallerWithheldError();
  const reason = input.reason.trim();
  if (reason === '') throw new ValidationError('a call case needs a reason', [{ path: 'Details.Parameters.reason', message: 'required' }]);
  const queue = input.queue ?? deps.settings.defaultQueue;
  if (!deps.settings.queues.some((known) => known.name === queue)) {
    throw new ValidationError(`unknown queue '${queue}'`, [{ path: 'Details.Parameters.queue', message: `no queue named '${queue}'` }]);
  }
  const identity: Identity = { type: 'phone', value: phone };
  const { contact } = input;
  // Cases found no longer open when linking: the index they were picked from may lag the table.
  const closedMeanwhile = new Set<string>();
  const changedMeanwhile = new Map<string, number>();

  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    try {
      const state = await deps.calls.readCallIntake(contact.contactId, phone);
      if (state.contact) return outcome(state.contact, true);
      const owner = state.ownerId ? await deps.customers.getCustomerWithCases(state.ownerId, { limit: CALL_CASES_SEARCHED }) : null;
      const now = isoNow(deps.clock);

      const openCase = owner ? newestOpenCase(owner.cases.items, closedMeanwhile) : null;
      if (owner && openCase) {
        const record: ContactRecord = {
          contactId: contact.contactId,
          caseId: openCase.id,
          caseNumber: openCase.number,
          customerId: owner.customer.id,
          linked: true,
          at: now,
        };
        const held = needsAgent(openCase) && (changedMeanwhile.get(openCase.id) ?? 0) < HOLD_ATTEMPTS ? heldForCall(openCase, now) : null;
        const entry = callEntry(deps, openCase.id, 'call.linked', contact, now);
        try {
          await deps.calls.commitCallLink({
            caseId: openCase.id,
            timeline: held ? { ...entry, changes: diffCase(openCase, held), data: { ...entry.data, heldFromRouting: true } } : entry,
            contact: record,
            held: held ? { case: held, expectedVersion: openCase.version } : null,
          });
        } catch (error) {
          if (error instanceof CommitConflict && error.reason === 'missing') closedMeanwhile.add(openCase.id);
          if (error instanceof CommitConflict && error.reason === 'version')
            changedMeanwhile.set(openCase.id, (changedMeanwhile.get(openCase.id) ?? 0) + 1);
          throw error;
        }
        return outcome(record, false);
      }

      const ownerByIdentity = new Map(state.ownerId ? [[identityKey(identity), state.ownerId]] : []);
      const resolved = resolveCustomer(deps, ownerByIdentity, [identity], owner?.customer ?? null, {
        name: null,
        language: input.language ?? null,
      });
      const created = buildNewCase(
        deps,
        {
          subject: `Phone call: ${reason}`,
          description: `Call from ${phone} (Amazon Connect contact ${contact.contactId}). Reason given in the flow: ${reason}`,
          channel: 'phone',
          queue,
          language: input.language ?? null,
          // Connect routes the call while it lasts; Switchboard's router waits for its end (see needsAgent).
          customFields: { connectContactId: contact.contactId },
          connectCallInProgress: true,
          auditData: { connectContactId: contact.contactId },
        },
        state.lastCaseSequence + 1,
        resolved.customer,
        CONNECT_ACTOR,
      );
      const record: ContactRecord = {
        contactId: contact.contactId,
        caseId: created.case.id,
        caseNumber: created.case.number,
        customerId: resolved.customer.id,
        linked: false,
        at: now,
      };
      await deps.calls.commitCallCase({
        case: created.case,
        timeline: [created.timeline, callEntry(deps, created.case.id, 'call.started', contact, now)],
        expectedLastSequence: state.lastCaseSequence,
        customer: resolved.customer,
        createCustomer: resolved.isNew,
        claimIdentities: resolved.claim,
        contact: record,
      });
      return outcome(record, false);
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError('too many calls are being handled at once; retry');
}

/** The case with its call in progress: out of Switchboard routing until the call ends. */
function heldForCall(c: Case, at: string): Case {
  return { ...c, connectCallInProgress: true, version: c.version + 1, updatedAt: at };
}

function outcome(record: ContactRecord, repeated: boolean): CallCaseOutcome {
  return { caseId: record.caseId, caseNumber: record.caseNumber, customerId: record.customerId, linked: record.linked, repeated };
}

/** The audit entry that puts a contact on a case. */
function callEntry(
  deps: Pick<CallCaseDeps, 'ids'>,
  caseId: string,
  action: 'call.started' | 'call.linked',
  contact: CallContact,
  at: string,
): TimelineEntry {
  return {
    id: deps.ids.newId(),
    caseId,
    at,
    actor: { kind: CONNECT_ACTOR.kind, id: CONNECT_ACTOR.id },
    action,
    changes: [],
    data: {
      contactId: contact.contactId,
      initialContactId: contact.initialContactId,
      channel: contact.channel,
      initiationMethod: contact.initiationMethod,
      queueName: contact.queueName,
    },
  };
}
