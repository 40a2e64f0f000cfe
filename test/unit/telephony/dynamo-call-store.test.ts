import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoCallStore } from '#telephony/adapters/dynamodb/call-store';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { aCase } from '../../support/builders.js';

const documents = mockClient(DynamoDBDocumentClient);
const store = new DynamoCallStore(dynamoDocumentClient, 'cases');

const profileItem = { entity: 'customer', id: 'cust-1', name: 'Anna Kowalska', preferredLanguage: 'pl', tier: 'vip' };
const caseItem = (id: string, status: string) => ({
  entity: 'case',
  id,
  number: `CS-${id}`,
  status,
  queue: 'stores',
  createdAt: '2026-11-23T08:00:00.000Z',
});

const contact = {
  contactId: 'contact-1',
  caseId: 'case-1',
  caseNumber: 'CS-000001',
  customerId: 'cust-1',
  linked: true,
  at: '2026-11-23T09:00:00.000Z',
};
const entry = {
  id: 'entry-1',
  caseId: 'case-1',
  at: '2026-11-23T09:00:00.000Z',
  actor: { kind: 'system' as const, id: 'connect' },
  action: 'call.linked',
  changes: [],
};

/** A cancelled transaction whose item `index` failed its condition, as DynamoDB reports it. */
function cancelled(size: number, index: number): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: Array.from({ length: size }, (_, i) => ({ Code: i === index ? 'ConditionalCheckFailed' : 'None' })),
  });
}

beforeEach(() => documents.reset());
afterAll(() => documents.restore());

describe('DynamoCallStore.findCallerByPhone', () => {
  it('sends two requests: GetItem of the phone identity, then one Query of the owner’s GSI1 partition, newest first', async () => {
    documents.on(GetCommand).resolves({ Item: { customerId: 'cust-1' } });
    documents.on(QueryCommand).resolves({ Items: [profileItem, caseItem('3', 'open'), caseItem('2', 'resolved')] });

    const caller = await store.findCallerByPhone('+48601234567', 10);

    expect(documents.calls()).toHaveLength(2);
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'cases',
      Key: { PK: 'IDENTITY#phone#+48601234567', SK: 'IDENTITY' },
    });
    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'GSI1',
      ExpressionAttributeValues: { ':pk': 'CUSTOMER#cust-1' },
      ScanIndexForward: false,
      Limit: 11,
    });
    expect(caller).toEqual({
      customerId: 'cust-1',
      profile: { id: 'cust-1', name: 'Anna Kowalska', preferredLanguage: 'pl', tier: 'vip' },
      cases: [
        { id: '3', number: 'CS-3', status: 'open', queue: 'stores', createdAt: '2026-11-23T08:00:00.000Z' },
        { id: '2', number: 'CS-2', status: 'resolved', queue: 'stores', createdAt: '2026-11-23T08:00:00.000Z' },
      ],
    });
  });

  it('sends one request for a number nobody owns', async () => {
    documents.on(GetCommand).resolves({});

    expect(await store.findCallerByPhone('+48601234567', 10)).toBeNull();
    expect(documents.calls()).toHaveLength(1);
  });

  it('answers the owner without a profile, rather than read a third time, when the index does not list the profile yet', async () => {
    documents.on(GetCommand).resolves({ Item: { customerId: 'cust-1' } });
    documents.on(QueryCommand).resolves({ Items: [] });

    expect(await store.findCallerByPhone('+48601234567', 10)).toEqual({ customerId: 'cust-1', profile: null, cases: [] });
    expect(documents.calls()).toHaveLength(2);
  });
});

describe('DynamoCallStore call intake', () => {
  it('reads the contact, the counter and the identity in one consistent BatchGetItem', async () => {
    documents.on(BatchGetCommand).resolves({
      Responses: {
        cases: [
          { PK: 'COUNTER#case', SK: 'COUNTER', sequence: 41 },
          { PK: 'IDENTITY#phone#+48601234567', SK: 'IDENTITY', customerId: 'cust-1' },
        ],
      },
    });

    const state = await store.readCallIntake('contact-1', '+48601234567');

    expect(state).toEqual({ contact: null, lastCaseSequence: 41, ownerId: 'cust-1' });
    expect(documents.calls()).toHaveLength(1);
    expect(documents.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.cases).toMatchObject({
      ConsistentRead: true,
      Keys: [
        { PK: 'CONTACT#contact-1', SK: 'CONTACT' },
        { PK: 'COUNTER#case', SK: 'COUNTER' },
        { PK: 'IDENTITY#phone#+48601234567', SK: 'IDENTITY' },
      ],
    });
  });

  it('finds a contact handled before', async () => {
    documents
      .on(BatchGetCommand)
      .resolves({ Responses: { cases: [{ PK: 'CONTACT#contact-1', SK: 'CONTACT', entity: 'contact', ...contact }] } });

    expect((await store.readCallIntake('contact-1', '+48601234567')).contact).toEqual(contact);
  });

  it('links in one transaction: the contact only if new, the case only while open for calls, the audit entry', async () => {
    documents.on(TransactWriteCommand).resolves({});

    await store.commitCallLink({ caseId: 'case-1', timeline: entry, contact, held: null });

    const items = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3);
    expect(items[0]?.Put).toMatchObject({
      Item: { PK: 'CONTACT#contact-1', SK: 'CONTACT', caseId: 'case-1', linked: true },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(items[1]?.ConditionCheck).toMatchObject({ Key: { PK: 'CASE#case-1', SK: 'CASE' } });
    expect(items[1]?.ConditionCheck?.ConditionExpression).toContain('NOT (#status IN (:resolved, :closed, :quarantined))');
    expect(items[2]?.Put?.Item).toMatchObject({ PK: 'CASE#case-1', SK: 'TIMELINE#entry-1', action: 'call.linked' });
  });

  it('holds a case that needed an agent in the same transaction: the case written only at the version read', async () => {
    documents.on(TransactWriteCommand).resolves({}).rejectsOnce(cancelled(3, 1));
    const held = aCase({ id: 'case-1', version: 4, connectCallInProgress: true });

    await expect(
      store.commitCallLink({ caseId: 'case-1', timeline: entry, contact, held: { case: held, expectedVersion: 3 } }),
    ).rejects.toEqual(new CommitConflict('version'));
    await store.commitCallLink({ caseId: 'case-1', timeline: entry, contact, held: { case: held, expectedVersion: 3 } });

    const items = documents.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3);
    expect(items[0]?.Put).toMatchObject({ Item: { PK: 'CONTACT#contact-1' }, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(items[1]?.Put).toMatchObject({
      Item: { PK: 'CASE#case-1', SK: 'CASE', version: 4, customFields: {}, connectCallInProgress: true },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
    expect(items[2]?.Put?.Item).toMatchObject({ SK: 'TIMELINE#entry-1', action: 'call.linked' });
  });

  it('reports a contact recorded meanwhile as a duplicate, and a case closed meanwhile as missing', async () => {
    documents.on(TransactWriteCommand).rejectsOnce(cancelled(3, 0)).rejectsOnce(cancelled(3, 1));

    await expect(store.commitCallLink({ caseId: 'case-1', timeline: entry, contact, held: null })).rejects.toEqual(
      new CommitConflict('duplicate'),
    );
    await expect(store.commitCallLink({ caseId: 'case-1', timeline: entry, contact, held: null })).rejects.toEqual(
      new CommitConflict('missing'),
    );
  });

  it('opens a case in one transaction with the contact’s record and every audit entry', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const opened = aCase({ id: 'case-1', channel: 'phone' });

    await store.commitCallCase({
      case: opened,
      timeline: [
        { ...entry, id: 'entry-1', action: 'case.created' },
        { ...entry, id: 'entry-2', action: 'call.started' },
      ],
      expectedLastSequence: 0,
      customer: {
        id: 'customer-1',
        name: null,
        identities: [{ type: 'phone', value: '+48601234567' }],
        preferredLanguage: null,
        tier: 'standard',
        createdAt: opened.createdAt,
        updatedAt: opened.createdAt,
        version: 1,
      },
      createCustomer: true,
      claimIdentities: [],
      contact: { ...contact, linked: false },
    });

    const items = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const keysWritten = items
      .map((item) => (item.Put?.Item ?? item.Update?.Key ?? {}) as Record<string, string>)
      .map((item) => `${item.PK}/${item.SK}`);
    expect(keysWritten).toEqual([
      'CONTACT#contact-1/CONTACT',
      'COUNTER#case/COUNTER',
      'CASE#case-1/CASE',
      'CASENUMBER#1/CASENUMBER',
      'IDENTITY#phone#+48601234567/IDENTITY',
      'CUSTOMER#customer-1/PROFILE',
      'CASE#case-1/TIMELINE#entry-1',
      'CASE#case-1/TIMELINE#entry-2',
    ]);
  });
});
