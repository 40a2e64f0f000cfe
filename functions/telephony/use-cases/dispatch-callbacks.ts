import type { Case } from '#cases';
import { isOpenForCalls } from '../domain/newest-open-case.js';
import { type Callback, dialToken, pendingAttempt } from '../domain/callback.js';
import { CallbackAgentPool, isOpenAt } from '../domain/callback-gates.js';
import { cancelCallback, claimForDial, failAttempt, recordDialled, releaseAfterError } from '../domain/callback-lifecycle.js';
import type { CallbackCommit } from '../domain/callback-ports.js';
import { isoNow } from '#platform/domain/clock';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { SlaConfig } from '#sla';
import type { DispatchCallbacksDeps } from './deps.js';
import { CALLBACKS_ACTOR, auditEntry, countAt, failedParts, mergeParts, retryParts } from './callback-commits.js';

/** What one callback came to in a dispatcher run. */
export type DispatchStep =
  | { callbackId: string; action: 'dialled'; attempt: number; contactId: string; agentId: string | null }
  /** Not dialled this time; it stays due and the next run looks again. */
  | { callbackId: string; action: 'skipped'; reason: string }
  | { callbackId: string; action: 'cancelled'; reason: string }
  /** An attempt ended without an outcome (refused by Connect, or no outcome event in time): retried later, or failed. */
  | { callbackId: string; action: 'retry_scheduled' | 'failed'; reason: string }
  /** Another dispatcher took it between our read and our claim. */
  | { callbackId: string; action: 'taken' }
  | { callbackId: string; action: 'error'; error: string };

export interface DispatchReport {
  at: string;
  due: number;
  steps: DispatchStep[];
}

/**
 * Dials due callbacks (the schedule's run, every minute), most important first, only when someone
 * can take the call.
 *
 * 1. Read the due callbacks (next attempt time passed): VIP first, then the oldest missed call.
 *    Nothing due: stop (one query per priority rank).
 * 2. Read once per run: the business-hours calendars (SLA configuration), the staff with their live
 *    state, and the callbacks being dialled. The free agents (available, on no Connect contact) make
 *    a pool; every call being dialled holds one of them (see `CallbackAgentPool`).
 * 3. For each callback, in order:
 *    - being dialled past its claim with no contact recorded (a dispatcher died between claim and
 *      dial): dial again under the same token (Connect returns the contact it started, or starts
 *      it), no gates: the gates passed at the claim;
 *    - being dialled past the outcome timeout: no outcome event came (EventBridge delivers contact
 *      events at best effort): the attempt counts as unanswered;
 *    - open: its queue's calendar closed now → skipped (before any read); its case resolved or
 *      closed meanwhile → cancelled (one GetItem); no free agent of the queue who speaks the
 *      language (the customer's, else the case's; none known → any) → skipped.
 * 4. Claim it before dialling: `dialling`, the attempt recorded, on the condition that it is still
 *    at the version read (status and attempts as read), so two dispatchers never dial the same
 *    callback; the loser moves on.
 * 5. Dial through Connect with the token `callback-<id>-<attempt>`, the case, callback and attempt as
 *    contact attributes. Started: record the contact (its events find the callback by it), the
 *    `callback.dialled` entry and the hour's `dialled` counter. Refused: the attempt fails (retry
 *    later or, the last one, the callback fails). A passing error: open again in a minute under the
 *    same attempt number.
 * Errors of one callback do not stop the run; they are in the report.
 */
export async function dispatchCallbacks(deps: DispatchCallbacksDeps): Promise<DispatchReport> {
  const at = isoNow(deps.clock);
  const due = await deps.callbacks.listDue(at, deps.settings.dueBatchSize);
  if (due.length === 0) return { at, due: 0, steps: [] };

  const [stored, staff, dialling] = await Promise.all([
    deps.sla.readConfig(),
    deps.staff.listAgents(),
    deps.callbacks.listCallbacks({ status: 'dialling', limit: 100 }),
  ]);
  const config = new SlaConfig(stored);
  const pool = new CallbackAgentPool(staff, deps.settings.languageMinLevel);
  for (const inProgress of dialling.items) pool.take(inProgress.queue, inProgress.language);

  const steps: DispatchStep[] = [];
  for (const callback of ordered(due)) {
    try {
      steps.push(await dispatchOne(deps, callback, { config, pool }));
    } catch (error) {
      steps.push({ callbackId: callback.id, action: 'error', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { at, due: due.length, steps };
}

/** Dispatch order: priority rank (VIP first), then the oldest first missed call, then id. */
function ordered(due: Callback[]): Callback[] {
  return [...due].sort(
    (a, b) => a.priorityRank - b.priorityRank || a.firstMissedAt.localeCompare(b.firstMissedAt) || a.id.localeCompare(b.id),
  );
}

async function dispatchOne(
  deps: DispatchCallbacksDeps,
  callback: Callback,
  run: { config: SlaConfig; pool: CallbackAgentPool },
): Promise<DispatchStep> {
  const now = isoNow(deps.clock);
  if (callback.status === 'dialling') return recoverDialling(deps, callback, now);

  // What needs no read first: a closed queue skips every due callback each minute of the night.
  const calendarName = run.config.calendarNameFor(null, callback.queue, deps.settings.queues);
  if (!isOpenAt(run.config.lookup(calendarName).calendar, deps.clock.now())) {
    return { callbackId: callback.id, action: 'skipped', reason: `queue ${callback.queue} is closed now (calendar ${calendarName})` };
  }
  const connectQueueId = deps.settings.connectQueueIds[callback.queue];
  if (!connectQueueId)
    return { callbackId: callback.id, action: 'skipped', reason: `queue ${callback.queue} has no Connect queue (CONNECT_QUEUE_IDS)` };

  const c = await deps.cases.getCase(callback.caseId);
  if (!c || !isOpenForCalls(c.status)) return cancel(deps, callback, c, now);
  const language = callback.language ?? c.language;
  const taken = run.pool.take(callback.queue, language);
  if (!taken.agent) return { callbackId: callback.id, action: 'skipped', reason: taken.why };

  const claimed = claimForDial(callback, { agentId: taken.agent.id, now, settings: deps.settings });
  try {
    await deps.callbacks.commit({ callback: { callback: claimed, expectedVersion: callback.version } });
  } catch (error) {
    if (error instanceof CommitConflict) return { callbackId: callback.id, action: 'taken' };
    throw error;
  }
  return dial(deps, claimed, connectQueueId);
}

/** Dials a claimed callback's pending attempt and records what Connect answered. */
async function dial(deps: DispatchCallbacksDeps, claimed: Callback, connectQueueId: string): Promise<DispatchStep> {
  const attempt = pendingAttempt(claimed);
  if (!attempt) throw new Error(`callback ${claimed.id} has no pending attempt to dial`);
  let result;
  try {
    result = await deps.dialler.dial({
      phone: claimed.phone,
      connectQueueId,
      clientToken: dialToken(claimed.id, attempt.number),
      attributes: { caseId: claimed.caseId, callbackId: claimed.id, attempt: String(attempt.number) },
    });
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const released = releaseAfterError(claimed, { detail, now: isoNow(deps.clock), settings: deps.settings });
    await commitOrSkip(deps, { callback: { callback: released, expectedVersion: claimed.version } });
    return { callbackId: claimed.id, action: 'error', error: detail };
  }
  const now = isoNow(deps.clock);
  if (result.kind === 'refused') return endAttempt(deps, claimed, 'refused', `Connect refused the call: ${result.reason}`, now);

  const recorded = recordDialled(claimed, { contactId: result.contactId, now, settings: deps.settings });
  const record: CallbackCommit = {
    dialledContact: { contactId: result.contactId, callbackId: claimed.id, attempt: attempt.number, at: now },
    timeline: [
      auditEntry(deps, CALLBACKS_ACTOR, claimed.caseId, 'callback.dialled', now, {
        callbackId: claimed.id,
        attempt: attempt.number,
        contactId: result.contactId,
        phone: claimed.phone,
        queue: claimed.queue,
        freeAgent: attempt.agentId,
      }),
    ],
    stats: [countAt(now, 'dialled')],
  };
  const committed = await commitOrSkip(deps, { ...record, callback: { callback: recorded, expectedVersion: claimed.version } });
  // The callback moved on between claim and record: the call's own events (which carry the
  // callback in their attributes) got there first. The contact and the counter are recorded all the same.
  if (!committed) await deps.callbacks.commit(record);
  return { callbackId: claimed.id, action: 'dialled', attempt: attempt.number, contactId: result.contactId, agentId: attempt.agentId };
}

/** A `dialling` callback the dispatcher must look at again: its claim lapsed, or its outcome never came. */
async function recoverDialling(deps: DispatchCallbacksDeps, callback: Callback, now: string): Promise<DispatchStep> {
  const attempt = pendingAttempt(callback);
  if (attempt?.contactId) {
    return endAttempt(
      deps,
      callback,
      'no_outcome',
      `no outcome of contact ${attempt.contactId} within ${deps.settings.outcomeTimeoutMinutes} minutes`,
      now,
    );
  }
  const connectQueueId = deps.settings.connectQueueIds[callback.queue];
  if (!attempt || !connectQueueId)
    return endAttempt(deps, callback, 'refused', 'the claimed dial cannot be repeated (no pending attempt or no Connect queue)', now);
  // Claim again (a fresh lease, at the version read), so of two dispatchers only one repeats the dial.
  const reclaimed: Callback = {
    ...callback,
    nextAttemptAt: new Date(Date.parse(now) + deps.settings.claimLeaseMinutes * 60_000).toISOString(),
    updatedAt: now,
    version: callback.version + 1,
  };
  try {
    await deps.callbacks.commit({ callback: { callback: reclaimed, expectedVersion: callback.version } });
  } catch (error) {
    if (error instanceof CommitConflict) return { callbackId: callback.id, action: 'taken' };
    throw error;
  }
  return dial(deps, reclaimed, connectQueueId);
}

/** The pending attempt ends unanswered: retry later, or fail the callback (note and mail). */
async function endAttempt(
  deps: DispatchCallbacksDeps,
  callback: Callback,
  outcome: 'refused' | 'no_outcome',
  detail: string,
  now: string,
): Promise<DispatchStep> {
  const failed = failAttempt(callback, { outcome, detail, at: now, now, settings: deps.settings });
  const parts = failed.final ? await failedParts(deps, failed.callback, now) : retryParts(deps, failed.callback, now);
  const committed = await commitOrSkip(
    deps,
    mergeParts({ callback: { callback: failed.callback, expectedVersion: callback.version } }, parts),
  );
  if (!committed) return { callbackId: callback.id, action: 'taken' };
  return { callbackId: callback.id, action: failed.final ? 'failed' : 'retry_scheduled', reason: detail };
}

/** A callback whose case is resolved, closed or gone: nobody needs the call any more. */
async function cancel(deps: DispatchCallbacksDeps, callback: Callback, c: Case | null, now: string): Promise<DispatchStep> {
  const detail = c ? `case ${c.number} is ${c.status}` : `case ${callback.caseId} does not exist`;
  const cancelled = cancelCallback(callback, { reason: 'case_closed', detail, now });
  const committed = await commitOrSkip(deps, {
    callback: { callback: cancelled, expectedVersion: callback.version },
    guard: { action: 'release', phone: callback.phone, callbackId: callback.id },
    timeline: c
      ? [auditEntry(deps, CALLBACKS_ACTOR, c.id, 'callback.cancelled', now, { callbackId: callback.id, reason: cancelled.endReason })]
      : [],
  });
  if (!committed) return { callbackId: callback.id, action: 'taken' };
  return { callbackId: callback.id, action: 'cancelled', reason: detail };
}

/** Commits; false when the callback changed meanwhile (someone else acted on it: their write stands). */
async function commitOrSkip(deps: DispatchCallbacksDeps, commit: CallbackCommit): Promise<boolean> {
  try {
    await deps.callbacks.commit(commit);
    return true;
  } catch (error) {
    if (error instanceof CommitConflict) return false;
    throw error;
  }
}
