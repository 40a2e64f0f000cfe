import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CallCaseCommit,
  CallCaseStore,
  CallerCase,
  CallerDirectory,
  CallerProfile,
  CallerRecord,
  CallIntakeState,
  CallLinkCommit,
} from '../../domain/call-ports.js';
import {
  addOpenCaseItems,
  caseCounterKey,
  caseEntity,
  caseIndexPartition,
  caseItem,
  caseKey,
  counterEntity,
  timelineItem,
} from '#cases/adapters';
import { customerEntity, identityItemKey } from '#customers/adapters';
import { contactFromItem, contactItem, contactKey } from './contact-item.js';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

type Item = Record<string, any>;

/** The attributes a caller lookup reads of the profile and the cases (a smaller answer to send and parse). */
const LOOKUP_ATTRIBUTES = ['entity', 'id', 'name', 'preferredLanguage', 'tier', 'number', 'status', 'queue', 'createdAt'];

/** Statuses in which a case takes no more calls (see `isOpenForCalls`), as the link's condition checks them. */
const CLOSED_FOR_CALLS = { ':resolved': 'resolved', ':closed': 'closed', ':quarantined': 'quarantined' };

/** Calls in the cases table: the caller directory of the contact flows and the store of call cases. */
export class DynamoCallStore implements CallerDirectory, CallCaseStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * GetItem of the phone identity, then one Query of the owner's GSI1 partition, newest first: the
   * profile (`PROFILE` sorts after `CASE#…`) and then the newest cases. Both eventually consistent:
   * a lookup routes a call, and half the read cost buys nothing a second later.
   */
  async findCallerByPhone(phone: string, caseLimit: number): Promise<CallerRecord | null> {
    const identity = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: identityItemKey({ type: 'phone', value: phone }),
        ProjectionExpression: 'customerId',
      }),
    );
    const customerId = identity.Item?.customerId;
    if (typeof customerId !== 'string') return null;
    const names = Object.fromEntries(LOOKUP_ATTRIBUTES.map((name, index) => [`#a${index}`, name]));
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': caseIndexPartition.customer(customerId) },
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        ScanIndexForward: false,
        // One more than the cases asked for: the profile comes first.
        Limit: caseLimit + 1,
      }),
    );
    const items = result.Items ?? [];
    const profile = items.find((item) => item.entity === customerEntity.tag);
    return {
      customerId,
      profile: profile ? profileFromItem(profile) : null,
      cases: items
        .filter((item) => item.entity === caseEntity.tag)
        .slice(0, caseLimit)
        .map((item) => callerCaseFromItem(item)),
    };
  }

  async readCallIntake(contactId: string, phone: string): Promise<CallIntakeState> {
    const wanted = [contactKey(contactId), caseCounterKey(), identityItemKey({ type: 'phone', value: phone })];
    let pending: Item[] = wanted;
    const found: Item[] = [];
    // BatchGet may hand back unprocessed keys under throttling; ask again for exactly those.
    while (pending.length > 0) {
      const result = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[this.tableName] ?? []));
      pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
    }
    const byPk = new Map(found.map((item) => [String(item.PK), item]));
    const contact = byPk.get(contactKey(contactId).PK);
    const counter = byPk.get(caseCounterKey().PK);
    const identity = byPk.get(identityItemKey({ type: 'phone', value: phone }).PK);
    return {
      contact: contact ? contactFromItem(contact) : null,
      lastCaseSequence: counterEntity.fromItem(counter),
      ownerId: typeof identity?.customerId === 'string' ? identity.customerId : null,
    };
  }

  async commitCallCase(commit: CallCaseCommit): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.put(contactItem(commit.contact), { expression: 'attribute_not_exists(PK)', onConflict: 'duplicate' });
    addOpenCaseItems(transaction, commit);
    for (const entry of commit.timeline) transaction.put(timelineItem(entry));
    await transaction.send(this.client);
  }

  async commitCallLink(commit: CallLinkCommit): Promise<void> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.put(contactItem(commit.contact), { expression: 'attribute_not_exists(PK)', onConflict: 'duplicate' });
    if (commit.held) {
      // The case was read open for calls at this version: the version check covers both.
      transaction.put(caseItem(commit.held.case), {
        expression: 'version = :expected',
        values: { ':expected': commit.held.expectedVersion },
        onConflict: 'version',
      });
      transaction.put(timelineItem(commit.timeline));
      await transaction.send(this.client);
      return;
    }
    transaction.add(
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: caseKey(commit.caseId),
          ConditionExpression: 'attribute_exists(PK) AND NOT (#status IN (:resolved, :closed, :quarantined))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: CLOSED_FOR_CALLS,
        },
      },
      'missing',
    );
    transaction.put(timelineItem(commit.timeline));
    await transaction.send(this.client);
  }
}

function profileFromItem(item: Item): CallerProfile {
  return { id: item.id, name: item.name ?? null, preferredLanguage: item.preferredLanguage ?? null, tier: item.tier };
}

function callerCaseFromItem(item: Item): CallerCase {
  return { id: item.id, number: item.number, status: item.status, queue: item.queue, createdAt: item.createdAt };
}
