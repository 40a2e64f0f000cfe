import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * The indexes of the transaction items that failed their condition, or null when the error is not a
 * cancelled transaction. A `TransactionConflict` that outlasted `transactWrite`'s retries counts as
 * a failed condition too: the caller re-reads and retries either way.
 */
export function failedTransactionItems(error: unknown): number[] | null {
  if (!(error instanceof TransactionCanceledException)) return null;
  const reasons = error.CancellationReasons ?? [];
  return reasons.flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict' ? [index] : [],
  );
}

/** Retries of a transaction cancelled only because another one held its items at that moment. */
export const TRANSACTION_CONFLICT_RETRIES = 4;

/**
 * Sends one TransactWriteItems request; when DynamoDB cancels it only for a `TransactionConflict`
 * (another transaction was writing one of its items, no condition failed), sends it again after a
 * short jittered pause. The SDK does not retry cancellations, and a conflict says nothing about the
 * conditions: two routers reserving the same agent at once would both be cancelled and each take
 * the agent for full, or the item for taken, and nobody would place it. A cancelled transaction
 * wrote nothing and is evaluated afresh, so sending it again is safe.
 */
export async function transactWrite(
  client: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  pause = jitteredPause,
): Promise<void> {
  for (let retry = 0; ; retry++) {
    try {
      await client.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (retry >= TRANSACTION_CONFLICT_RETRIES || !onlyConflicts(error)) throw error;
      await pause(retry);
    }
  }
}

function onlyConflicts(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  return codes.includes('TransactionConflict') && codes.every((code) => code === 'TransactionConflict' || code === 'None');
}

/** 10–30 ms, doubling with each retry: long enough for the other transaction to finish. */
function jitteredPause(retry: number): Promise<void> {
  const ms = (10 + Math.random() * 20) * 2 ** retry;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
