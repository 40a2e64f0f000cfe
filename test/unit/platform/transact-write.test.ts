import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { TRANSACTION_CONFLICT_RETRIES, transactWrite } from '#platform/adapters/dynamodb/transaction-errors';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';
import { CommitConflict } from '#platform/domain/commit-conflict';

const documents = mockClient(DynamoDBDocumentClient);
const noPause = async () => {};
const input = {
  TransactItems: [{ Put: { TableName: 'cases', Item: { PK: 'A', SK: 'A' } } }, { Put: { TableName: 'cases', Item: { PK: 'B', SK: 'B' } } }],
};

/** A transaction DynamoDB cancelled, with one cancellation code per item. */
function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

beforeEach(() => documents.reset());
afterAll(() => documents.restore());

describe('transactWrite', () => {
  it('sends a transaction cancelled only by a TransactionConflict again, and succeeds when the other one has finished', async () => {
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .resolves({});

    await transactWrite(dynamoDocumentClient, input, noPause);

    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(documents.commandCalls(TransactWriteCommand)[2]?.args[0].input).toEqual(input);
  });

  it('does not send again when a condition failed, even alongside a conflict: the caller must read again', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'TransactionConflict'));

    await expect(transactWrite(dynamoDocumentClient, input, noPause)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('gives up after its retries, and other errors are not retried', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(transactWrite(dynamoDocumentClient, input, noPause)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1 + TRANSACTION_CONFLICT_RETRIES);

    documents.reset();
    documents.on(TransactWriteCommand).rejects(new Error('throttled'));
    await expect(transactWrite(dynamoDocumentClient, input, noPause)).rejects.toThrow('throttled');
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('lets TransactionBuilder report a conflict that outlasted the retries as the item’s conflict reason', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict'));
    const transaction = new TransactionBuilder('cases')
      .add({ Put: { TableName: 'cases', Item: { PK: 'A', SK: 'A' } } }, 'version')
      .add({ Put: { TableName: 'cases', Item: { PK: 'B', SK: 'B' } } }, 'duplicate');

    const failure = await transaction.send(dynamoDocumentClient).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(CommitConflict);
    expect((failure as CommitConflict).reason).toBe('duplicate');
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1 + TRANSACTION_CONFLICT_RETRIES);
  });
});
