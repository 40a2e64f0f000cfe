import { isoNow } from '#platform/domain/clock';
import type { Clock } from '#platform/domain/clock';
import type { OutboxStore } from '../domain/email-ports.js';

/** Retries one run takes on; the next run (a minute later) takes the rest. */
export const REQUEUE_BATCH = 100;

/**
 * Queues again every failed message whose wait is over, so the outbox's trigger sends it: the
 * waiting is done here, by a schedule, because a table stream cannot delay a record.
 * @returns how many messages were queued again.
 */
export async function requeueDueMail(deps: { outbox: OutboxStore; clock: Clock }): Promise<number> {
  const due = await deps.outbox.listDueRetries(isoNow(deps.clock), REQUEUE_BATCH);
  let queued = 0;
  for (const retry of due) if (await deps.outbox.requeue(retry)) queued++;
  return queued;
}
