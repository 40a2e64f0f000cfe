import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * The indexes of the transaction items that failed their condition, or null when the error is not a
 * cancelled transaction. A `TransactionConflict` (another transaction touching the same item at the
 * same moment) counts as a failed condition too: the caller re-reads and retries either way.
 */
export function failedTransactionItems(error: unknown): number[] | null {
  if (!(error instanceof TransactionCanceledException)) return null;
  const reasons = error.CancellationReasons ?? [];
  return reasons.flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict' ? [index] : [],
  );
}
