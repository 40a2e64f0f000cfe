import { dispatchCallbacksDepsFromEnv } from '../adapters/dispatch-callbacks-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { type DispatchReport, dispatchCallbacks } from '../use-cases/dispatch-callbacks.js';

const deps = dispatchCallbacksDepsFromEnv();

/**
 * The callback dispatcher (an EventBridge schedule, every minute): dials due callbacks within their
 * queue's business hours when a suitable agent is free (docs/connect.md). One line per callback it
 * acted on. When a callback could not be dispatched for an unexpected reason (Connect or DynamoDB
 * failing), the run still finishes the others and then fails, so EventBridge retries it and its
 * dead-letter queue raises the telephony alarm if the failure persists; claims and Connect's
 * idempotency tokens make a repeated run dial nobody twice.
 */
export async function handler(): Promise<DispatchReport> {
  const report = await dispatchCallbacks(deps);
  for (const step of report.steps) {
    if (step.action === 'error') logger.error('callback dispatch failed', { ...step });
    else logger.info('callback dispatch', { ...step });
  }
  if (report.due > 0)
    logger.info('callback dispatch run', {
      at: report.at,
      due: report.due,
      dialled: report.steps.filter((step) => step.action === 'dialled').length,
    });
  const errors = report.steps.filter((step) => step.action === 'error');
  if (errors.length > 0)
    throw new Error(`${errors.length} of ${report.due} due callback(s) failed to dispatch; see the log lines "callback dispatch failed"`);
  return report;
}
