import type { Callback, CallbackStatus } from '../domain/callback.js';
import type { Page } from '#platform/domain/page';
import type { CallbackQueryDeps } from './deps.js';

/**
 * Callbacks for supervisors, newest first (by when the callback was created), of one status or all,
 * with every attempt and its outcome.
 *
 * 1. One indexed query a page: the status's list, or the list of all callbacks.
 */
export async function listCallbacks(
  deps: CallbackQueryDeps,
  input: { status?: CallbackStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<Callback>> {
  return deps.callbacks.listCallbacks({ status: input.status, limit: input.limit, cursor: input.cursor });
}
