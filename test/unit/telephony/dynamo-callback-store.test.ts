import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { callbackItem } from '#telephony/adapters/dynamodb/callback-item';
import { DynamoCallbackStore } from '#telephony/adapters/dynamodb/callback-store';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { CALLER, NOW, aCallback } from '../../support/callback-fakes.js';

const documents = mockClient(DynamoDBDocumentClient);
const store = new DynamoCallbackStore(dynamoDocumentClient, 'cases');

/** A cancelled transaction whose item `index` failed its condition, as DynamoDB reports it. */
function cancelled(size: number, index: number): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: Array.from({ length: size }, (_, i) => ({ Code: i === index ? 'ConditionalCheckFailed' : 'None' })),
  });
}

const handled = {
  contactId: 'contact-1',
  eventType: 'DISCONNECTED',
  eventId: 'event-1',
  outcome: 'missed_call',
  caseId: 'case-1',
  callbackId: 'callback-1',
  at: NOW,
};

beforeEach(() => documents.reset());
afterAll(() => documents.restore());

describe('DynamoCallbackStore', () => {
  it('keeps an unfinished callback in the due index by rank and next attempt, and every callback in the status and all lists', () => {
    expect(callbackItem(aCallback())).toMatchObject({
      PK: 'CALLBACK#callback-1',
      SK: 'CALLBACK',
      GSI2PK: 'CALLBACKS_DUE',
      GSI2SK: `1#${NOW}#callback-1`,
      GSI3PK: 'CALLBACKS#open',
      GSI3SK: 'CALLBACK#callback-1',
      GSI5PK: 'CALLBACKS',
      GSI5SK: 'CALLBACK#callback-1',
      entity: 'callback',
    });
    expect(callbackItem(aCallback({ status: 'dialling' }))).toMatchObject({
      GSI4PK: 'CASE_CALLBACKS#case-1',
      GSI4SK: 'CALLBACK#callback-1',
    });
    const finished = callbackItem(aCallback({ status: 'reached', nextAttemptAt: null }));
    expect(finished).not.toHaveProperty('GSI2PK');
    expect(finished).not.toHaveProperty('GSI4PK');
    expect(finished).toMatchObject({ GSI3PK: 'CALLBACKS#reached' });
  });

  it('reads due callbacks with one key-range query per priority rank, up to now', async () => {
    documents.on(QueryCommand).resolves({ Items: [callbackItem(aCallback())] });

    const due = await store.listDue(NOW, 25);

    expect(due).toHaveLength(2);
    expect(documents.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'cases',
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': 'CALLBACKS_DUE', ':from': '0#', ':to': `0#${NOW}~` },
        Limit: 25,
      },
      {
        TableName: 'cases',
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': 'CALLBACKS_DUE', ':from': '1#', ':to': `1#${NOW}~` },
        Limit: 25,
      },
    ]);
  });

  it('reads what is known of a contact in one BatchGetItem: the flow’s link (its own or its first contact’s), the dial record, the handled record', async () => {
    documents.on(BatchGetCommand).resolves({
      Responses: {
        cases: [
          { PK: 'CONTACT#first', SK: 'CONTACT', caseId: 'case-1', customerId: 'customer-1' },
          { PK: 'CONTACT#contact-1', SK: 'EVENT#DISCONNECTED', outcome: 'missed_call' },
        ],
      },
    });

    const facts = await store.readContact({ contactId: 'contact-1', relatedContactIds: ['first'], eventType: 'DISCONNECTED' });

    expect(facts).toEqual({ linkedCase: { caseId: 'case-1', customerId: 'customer-1' }, dialled: null, handled: true });
    expect(documents.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.cases?.Keys).toEqual([
      { PK: 'CONTACT#contact-1', SK: 'CONTACT' },
      { PK: 'CONTACT#first', SK: 'CONTACT' },
      { PK: 'CONTACT#contact-1', SK: 'CALLBACK' },
      { PK: 'CONTACT#contact-1', SK: 'EVENT#DISCONNECTED' },
    ]);
  });

  it('finds a number’s open callback through its guard; a guard left by a finished callback yields none but is named', async () => {
    documents
      .on(GetCommand, { Key: { PK: `CALLBACK_OPEN#${CALLER}`, SK: 'CALLBACK_OPEN' } })
      .resolves({ Item: { callbackId: 'callback-1' } });
    documents
      .on(GetCommand, { Key: { PK: 'CALLBACK#callback-1', SK: 'CALLBACK' } })
      .resolvesOnce({ Item: callbackItem(aCallback()) })
      .resolvesOnce({ Item: callbackItem(aCallback({ status: 'failed' })) });

    expect((await store.findOpenCallback(CALLER)).callback?.id).toBe('callback-1');
    expect(await store.findOpenCallback(CALLER)).toEqual({ callback: null, guardOf: 'callback-1' });
  });

  it('commits a new callback with the handled record, the guard and the counters in one transaction, each under its condition', async () => {
    documents.on(TransactWriteCommand).resolves({});

    await store.commit({
      handled,
      callback: { callback: aCallback(), expectedVersion: 0 },
      guard: { action: 'claim', phone: CALLER, callbackId: 'callback-1', replacing: null },
      stats: [
        { hour: '2026-11-23T08', counts: { missed: 1 } },
        { hour: '2026-11-23T08', counts: { missed: 1 } },
      ],
    });

    const items = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(4);
    expect(items[0]?.Put).toMatchObject({
      Item: {
        PK: 'CONTACT#contact-1',
        SK: 'EVENT#DISCONNECTED',
        outcome: 'missed_call',
        expiresAt: Math.floor(Date.parse(NOW) / 1000) + 90 * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(items[1]?.Put).toMatchObject({
      Item: { PK: 'CALLBACK#callback-1', version: 1 },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(items[2]?.Put).toMatchObject({
      Item: { PK: `CALLBACK_OPEN#${CALLER}`, callbackId: 'callback-1' },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(items[3]?.Update).toEqual({
      TableName: 'cases',
      Key: { PK: 'CALL_STATS', SK: 'HOUR#2026-11-23T08' },
      UpdateExpression: 'SET entity = :entity, #hour = :hour ADD #missed :missed',
      ExpressionAttributeNames: { '#hour': 'hour', '#missed': 'missed' },
      ExpressionAttributeValues: { ':entity': 'call-stats', ':hour': '2026-11-23T08', ':missed': 2 },
    });
  });

  it('commits a finished callback at its version and releases the guard only if it names this callback', async () => {
    documents.on(TransactWriteCommand).resolves({});

    await store.commit({
      callback: { callback: aCallback({ status: 'reached', version: 4 }), expectedVersion: 3 },
      guard: { action: 'release', phone: CALLER, callbackId: 'callback-1' },
    });

    const items = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 3 } });
    expect(items[1]?.Delete).toEqual({
      TableName: 'cases',
      Key: { PK: `CALLBACK_OPEN#${CALLER}`, SK: 'CALLBACK_OPEN' },
      ConditionExpression: 'attribute_not_exists(PK) OR callbackId = :callbackId',
      ExpressionAttributeValues: { ':callbackId': 'callback-1' },
    });
  });

  it('lists the unfinished callbacks of a case with one query of its GSI4 partition', async () => {
    documents.on(QueryCommand).resolves({ Items: [callbackItem(aCallback())] });

    const found = await store.listUnfinishedOfCase('case-1');

    expect(found.map((callback) => callback.id)).toEqual(['callback-1']);
    expect(documents.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'cases',
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk',
        ExpressionAttributeValues: { ':pk': 'CASE_CALLBACKS#case-1' },
      },
    ]);
  });

  it('hands another transaction exactly the items its own commit would send, and sends nothing itself', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const commit = {
      callback: { callback: aCallback({ status: 'cancelled', version: 2 }), expectedVersion: 1 },
      guard: { action: 'release' as const, phone: CALLER, callbackId: 'callback-1' },
    };

    const writes = store.writesOf(commit);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
    await store.commit(commit);

    const sent = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(writes).toEqual(sent?.map((write) => ({ store: 'dynamodb', write })));
  });

  it('reports a handled event as a duplicate and a taken guard as a version conflict', async () => {
    documents.on(TransactWriteCommand).rejectsOnce(cancelled(3, 0)).rejectsOnce(cancelled(3, 2));
    const commit = {
      handled,
      callback: { callback: aCallback(), expectedVersion: 0 },
      guard: { action: 'claim' as const, phone: CALLER, callbackId: 'callback-1', replacing: null },
    };

    await expect(store.commit(commit)).rejects.toEqual(new CommitConflict('duplicate'));
    await expect(store.commit(commit)).rejects.toEqual(new CommitConflict('version'));
  });

  it('reads the report’s hour counters with one range query of the statistics partition', async () => {
    documents.on(QueryCommand).resolves({ Items: [{ hour: '2026-11-23T08', missed: 3, dialled: 2 }] });

    const stats = await store.readStats('2026-11-23T00', '2026-11-23T23');

    expect(stats).toEqual([{ hour: '2026-11-23T08', counts: { missed: 3, dialled: 2, reached: 0, failed: 0 } }]);
    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'CALL_STATS', ':from': 'HOUR#2026-11-23T00', ':to': 'HOUR#2026-11-23T23' },
    });
  });
});
