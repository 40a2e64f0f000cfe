import type { Actor } from '#platform/domain/actor';
import type { Case } from '#cases';
import { cancelCallback } from '../domain/callback-lifecycle.js';
import type { CallbackCommit, CallbackStore } from '../domain/callback-ports.js';
import type { IdGenerator } from '#platform/domain/ids';
import type { AlongsideWrite } from '#platform/domain/commit-conflict';
import type { CaseEndings } from '#cases';
import { auditEntry } from './callback-commits.js';

/**
 * Callbacks end with their case: resolving or closing a case cancels its open callbacks in the
 * transaction that changes the case, so no customer is rung back about a finished case, whatever
 * the hour (the dispatcher, which checks the case before dialling, only runs while the queue is open).
 *
 * 1. Read the case's unfinished callbacks (one index query).
 * 2. Each open one becomes `cancelled` (`case_closed`), at the version read, with the number's guard
 *    released and a `callback.cancelled` entry on the case. One being dialled is left to its
 *    outcome: the call is under way, and the dispatcher cancels a retry once it sees the case.
 * 3. The writes go into the case's commit; a callback changed since step 1 fails it as `dependent`,
 *    and the case's use case reads again.
 */
export function cancelCallbacksOfCase(deps: {
  callbacks: Pick<CallbackStore, 'listUnfinishedOfCase' | 'writesOf'>;
  ids: IdGenerator;
}): CaseEndings {
  return {
    async endWith(c: Case, input: { at: string; actor: Actor }): Promise<AlongsideWrite[]> {
      const open = (await deps.callbacks.listUnfinishedOfCase(c.id)).filter((callback) => callback.status === 'open');
      const commits: CallbackCommit[] = open.map((callback) => {
        const cancelled = cancelCallback(callback, {
          reason: 'case_closed',
          detail: `case ${c.number} was ${c.status} by ${input.actor.id}`,
          now: input.at,
        });
        return {
          callback: { callback: cancelled, expectedVersion: callback.version },
          guard: { action: 'release', phone: callback.phone, callbackId: callback.id },
          timeline: [
            auditEntry(deps, input.actor, c.id, 'callback.cancelled', input.at, { callbackId: callback.id, reason: cancelled.endReason }),
          ],
        };
      });
      return commits.flatMap((commit) => deps.callbacks.writesOf(commit));
    },
  };
}
