import type { Case } from '#cases';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { advanceSla } from '../domain/advance-sla.js';
import { SlaConfig } from '../domain/sla-config.js';
import { ContentionError } from '#platform/domain/errors';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import { type SlaDeps } from './deps.js';

export type TrackOutcome = 'started' | 'updated' | 'unchanged';

/**
 * Keeps a case's SLA record in step with the case (each change of a case, from the cases table
 * stream).
 *
 * 1. Read the SLA configuration and the record; apply the case's new version with `advanceSla`
 *    (start, pause, resume, meet, stop the clocks; a new policy's targets over the time already
 *    elapsed). A repeated or late stream record changes nothing.
 * 2. Write the record only if nobody else did meanwhile (the timer's evaluation writes it too);
 *    on a lost race read again and retry. The record's own stream starts and stops the timers.
 * 3. Bring the case's SLA flag in line with the record (cleared once the clock at risk is met).
 *    Only if the case is still at this version: a newer version comes through the stream anyway.
 */
export async function trackCaseSla(deps: SlaDeps, input: { case: Case }): Promise<TrackOutcome> {
  const c = input.case;
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const [stored, record] = await Promise.all([deps.sla.readConfig(), deps.sla.getSla(c.id)]);
    const next = advanceSla(record, c, new SlaConfig(stored), deps.settings);
    if (!next) return 'unchanged';
    try {
      await deps.sla.commitSla({ sla: next, expectedVersion: record?.version ?? 0 });
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      await deps.backoff(attempt);
      continue;
    }
    const flag = next.atRisk?.state ?? null;
    if (flag !== c.slaState) {
      await deps.sla.setCaseFlag(c.id, flag, c.version);
    }
    return record ? 'updated' : 'started';
  }
  throw new ContentionError('the SLA record kept changing while the case was applied; the stream retries');
}
