import type { QueueSettings } from '#cases';

/** How callbacks behave; the deployment sets attempts, retry delay and the Connect queues. */
export interface CallbackSettings {
  /** Dials before a callback fails (each unanswered or refused dial counts). */
  maxAttempts: number;
  /** Minutes between an unanswered dial and the next one. */
  retryMinutes: number;
  /** Minutes a dispatcher's claim holds before another dispatcher re-drives the dial (a crash between claim and dial). */
  claimLeaseMinutes: number;
  /** Minutes to wait for the outcome of a dial (a call, its queue wait and its talk) before counting it unanswered. */
  outcomeTimeoutMinutes: number;
  /** Minutes before a dial that failed for a passing reason (throttling, a fault) is tried again. */
  errorRetryMinutes: number;
  /** Lowest level of the callback's language an agent needs to be counted free for it (1–10). */
  languageMinLevel: number;
  /** Due callbacks a dispatcher run reads per priority rank. */
  dueBatchSize: number;
  /** Our queue → its Amazon Connect queue id (the queue a callback's call is put in). */
  connectQueueIds: Readonly<Record<string, string>>;
  /** Our queues, with their business-hours calendars. */
  queues: readonly QueueSettings[];
  /** The queue of a callback whose call names no known queue and that has no case yet. */
  defaultQueue: string;
}

export const DEFAULT_CALLBACK_SETTINGS: Omit<CallbackSettings, 'connectQueueIds' | 'queues' | 'defaultQueue'> = {
  maxAttempts: 3,
  retryMinutes: 15,
  claimLeaseMinutes: 2,
  outcomeTimeoutMinutes: 60,
  errorRetryMinutes: 1,
  languageMinLevel: 5,
  dueBatchSize: 25,
};

/** Our queue of a Connect queue (by its id, the last part of its ARN), or null when none maps to it. */
export function queueOfConnectQueue(settings: Pick<CallbackSettings, 'connectQueueIds'>, connectQueueId: string | null): string | null {
  if (!connectQueueId) return null;
  return Object.entries(settings.connectQueueIds).find(([, id]) => id === connectQueueId)?.[0] ?? null;
}
