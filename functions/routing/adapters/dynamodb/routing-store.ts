import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Presence } from '#agents';
import type { Priority } from '#cases';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { RoutingDecision } from '../../domain/choose-agent.js';
import type {
  ContactLoadStore,
  ContactUpdate,
  Release,
  Reservation,
  ReservationOutcome,
  RoutingStore,
  WaitingCounts,
  WorkRecord,
} from '../../domain/routing-ports.js';
import type { StaffMember } from '#agents';
import type { WorkItem } from '../../domain/work-item.js';
import { agentKey, agentStateKey, agentStateUpdate, profilePresenceUpdate } from '#agents/adapters';
import {
  backlogIndex,
  backlogPartition,
  ownerIndex,
  ownerPartition,
  workEntity,
  workItemFromItem,
  workItemKey,
  refreshUpdate,
  withdrawUpdate,
} from './work-item.js';
import { readOldestWaiting, readWaitingCounts, waitingCountUpdates } from './queue-counts-item.js';
import { queryAllPages, queryPartition } from '#platform/adapters/dynamodb/query-partition';
import { liveFrom, queryStaffItems, staffFrom } from '#agents/adapters';
import { TransactionBuilder } from '#platform/adapters/dynamodb/transaction';

/** Routing fields a newer case version may change on a waiting item. */
const ROUTING_FIELDS = ['queue', 'channel', 'weight', 'language', 'topic', 'priority'] as const;

/**
 * Routing's claims in the agent-state table, as the domain's `RoutingStore`. A work item is
 * `WORK#<caseId>`; while it waits, GSI2 files it in its queue's backlog, and while an agent holds
 * it, under the agent. `backlogPK`/`backlogSK` keep its backlog position, so a release can put it
 * back without recomputing it. Every write that moves an item into or out of a backlog (created,
 * refreshed to another queue or priority, withdrawn, offered, given back) moves its queue's
 * waiting counter in the same transaction, conditioned on the queue and priority it counts, so
 * the counters never disagree with the items.
 */
export class DynamoRoutingStore implements RoutingStore, ContactLoadStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Puts an agent's live state (presence, capacity) without touching their load (tests, seeding). */
  async setAgentState(agentId: string, state: { presence: Presence; capacity: number; at: string }): Promise<void> {
    await this.client.send(new UpdateCommand(agentStateUpdate(this.tableName, agentId, state)));
  }

  async enqueue(item: WorkItem, caseVersion: number): Promise<'created' | 'refreshed' | 'unchanged'> {
    const backlog = backlogIndex(item);
    const created = new TransactionBuilder(this.tableName);
    created.add(
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...item,
            ...workItemKey(item.id),
            ...backlog,
            backlogPK: backlog.GSI2PK,
            backlogSK: backlog.GSI2SK,
            entity: workEntity.tag,
            status: 'waiting',
            owner: null,
            caseVersion,
          },
          // New, or done and asked for again by a newer version of the case.
          ConditionExpression: 'attribute_not_exists(PK) OR (#status = :done AND caseVersion < :version)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':done': 'done', ':version': caseVersion },
        },
      },
      'duplicate',
    );
    this.moveCounts(created, [{ queue: item.queue, priority: item.priority, delta: 1 }]);
    try {
      await created.send(this.client);
      return 'created';
    } catch (error) {
      if (!(error instanceof CommitConflict) || error.reason === 'dependent') throw error;
    }
    const stored = await this.getWorkItem(item.id);
    if (!stored || stored.status !== 'waiting' || stored.caseVersion >= caseVersion) return 'unchanged';
    if (ROUTING_FIELDS.every((field) => stored[field] === item[field])) return 'unchanged';
    // A waiting item keeps its age (and so its routing step and place among equals).
    const refresh = new TransactionBuilder(this.tableName);
    refresh.add(
      { Update: refreshUpdate(this.tableName, { ...item, enqueuedAt: stored.enqueuedAt }, caseVersion, stored.caseVersion) },
      'duplicate',
    );
    // The stored version pins the queue and priority read: the counts move from those to the new ones.
    this.moveCounts(refresh, [
      { queue: stored.queue, priority: stored.priority, delta: -1 },
      { queue: item.queue, priority: item.priority, delta: 1 },
    ]);
    try {
      await refresh.send(this.client);
      return 'refreshed';
    } catch (error) {
      // Offered or changed meanwhile: the next stream record of the case brings it up to date.
      if (error instanceof CommitConflict && error.reason !== 'dependent') return 'unchanged';
      throw error;
    }
  }

  async withdraw(workId: string, caseVersion: number, at: string): Promise<boolean> {
    // The counter to lower is the item's queue and priority: read them, and withdraw only while they hold.
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await this.getWorkItem(workId);
      if (!stored || stored.status !== 'waiting' || stored.caseVersion >= caseVersion) return false;
      const transaction = new TransactionBuilder(this.tableName);
      transaction.add({ Update: withdrawUpdate(this.tableName, stored, caseVersion, at) }, 'duplicate');
      this.moveCounts(transaction, [{ queue: stored.queue, priority: stored.priority, delta: -1 }]);
      try {
        await transaction.send(this.client);
        return true;
      } catch (error) {
        if (!(error instanceof CommitConflict)) throw error;
      }
    }
    throw new Error(`work ${workId}: kept changing under the withdrawal`);
  }

  async reserve(claim: Reservation): Promise<ReservationOutcome> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: agentStateKey(claim.agentId),
          // idleSince marks the agent's last new work: longest idle means least recently given work.
          UpdateExpression: 'SET #load = #load + :weight, idleSince = :at, updatedAt = :at',
          // DynamoDB cannot add in a condition: "load + weight <= capacity" is "load <= capacity - weight",
          // with the capacity the limit was computed from checked too.
          ConditionExpression: 'presence = :available AND #capacity = :capacity AND #load <= :limit',
          ExpressionAttributeNames: { '#load': 'load', '#capacity': 'capacity' },
          ExpressionAttributeValues: {
            ':weight': claim.weight,
            ':at': claim.at,
            ':available': 'available',
            ':capacity': claim.capacity,
            ':limit': claim.capacity - claim.weight,
          },
        },
      },
      'version',
    );
    const owner = ownerIndex(claim.agentId, claim.at, claim.workId);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: workItemKey(claim.workId),
          UpdateExpression:
            'SET #owner = :agent, #status = :offered, offerId = :offerId, offeredAt = :at, offerExpiresAt = :expires, decision = :decision, GSI2PK = :pk, GSI2SK = :sk',
          ConditionExpression:
            '#status = :waiting AND #owner = :nobody AND caseVersion = :caseVersion AND size(declinedBy) = :declines AND #queue = :queue AND priority = :priority',
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status', '#queue': 'queue' },
          ExpressionAttributeValues: {
            ':queue': claim.seen.queue,
            ':priority': claim.seen.priority,
            ':caseVersion': claim.seen.caseVersion,
            ':declines': claim.seen.declines,
            ':agent': claim.agentId,
            ':offered': 'offered',
            ':offerId': claim.offerId,
            ':at': claim.at,
            ':expires': claim.offerExpiresAt,
            ':decision': claim.decision,
            ':pk': owner.GSI2PK,
            ':sk': owner.GSI2SK,
            ':waiting': 'waiting',
            ':nobody': null,
          },
        },
      },
      'duplicate',
    );
    this.moveCounts(transaction, [{ queue: claim.seen.queue, priority: claim.seen.priority, delta: -1 }]);
    try {
      await transaction.send(this.client);
      return 'reserved';
    } catch (error) {
      if (!(error instanceof CommitConflict) || error.reason === 'dependent') throw error;
      return error.reason === 'duplicate' ? 'item_taken' : 'agent_refused';
    }
  }

  async release(release: Release): Promise<boolean> {
    // Back to the backlog raises its queue's counter: read which one (an owned item's queue and
    // priority cannot change, as only a waiting item is refreshed; the condition checks it anyway).
    const held = release.requeue ? await this.getWorkItem(release.workId) : null;
    if (release.requeue && held?.owner !== release.agentId) return false;
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: agentStateKey(release.agentId),
          UpdateExpression: `SET #load = #load - :weight, updatedAt = :at${release.setAway ? ', presence = :away' : ''}`,
          ConditionExpression: '#load >= :weight',
          ExpressionAttributeNames: { '#load': 'load' },
          ExpressionAttributeValues: { ':weight': release.weight, ':at': release.at, ...(release.setAway ? { ':away': 'away' } : {}) },
        },
      },
      'version',
    );
    if (release.setAway) {
      transaction.add({ Update: profilePresenceUpdate(this.tableName, release.agentId, 'away', release.at) });
    }
    const declined = release.requeue && (release.reason === 'declined' || release.reason === 'timed_out');
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: workItemKey(release.workId),
          UpdateExpression: release.requeue
            ? `SET #owner = :nobody, #status = :waiting, releasedAt = :at, releaseReason = :reason, GSI2PK = backlogPK, GSI2SK = backlogSK${declined ? ', declinedBy = list_append(declinedBy, :agentList)' : ''}`
            : 'SET #owner = :nobody, #status = :done, releasedAt = :at, releaseReason = :reason REMOVE GSI2PK, GSI2SK',
          // Only the owner releases, once (and a decline or timeout only its own offer): a repeated
          // release finds no owner and changes nothing, so the weight is freed exactly once.
          ConditionExpression: `${release.offerId ? '#owner = :agent AND offerId = :offerId' : '#owner = :agent'}${
            held ? ' AND #queue = :queue AND priority = :priority' : ''
          }`,
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status', ...(held ? { '#queue': 'queue' } : {}) },
          ExpressionAttributeValues: {
            ...(held ? { ':queue': held.queue, ':priority': held.priority } : {}),
            ':nobody': null,
            ':agent': release.agentId,
            ':at': release.at,
            ':reason': release.reason,
            ...(release.offerId ? { ':offerId': release.offerId } : {}),
            ...(release.requeue ? { ':waiting': 'waiting' } : { ':done': 'done' }),
            ...(declined ? { ':agentList': [release.agentId] } : {}),
          },
        },
      },
      'duplicate',
    );
    if (held) this.moveCounts(transaction, [{ queue: held.queue, priority: held.priority, delta: 1 }]);
    try {
      await transaction.send(this.client);
      return true;
    } catch (error) {
      if (error instanceof CommitConflict && error.reason !== 'dependent') return false;
      throw error;
    }
  }

  async recordDecision(
    workId: string,
    decision: RoutingDecision,
    recheck: { expectedRecheckId: string | null; nextRecheckId: string },
  ): Promise<boolean> {
    const expected = recheck.expectedRecheckId;
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: workItemKey(workId),
      UpdateExpression: 'SET decision = :decision, recheckId = :next',
      ConditionExpression: expected ? '#status = :waiting AND recheckId = :expected' : '#status = :waiting',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':decision': decision,
        ':next': recheck.nextRecheckId,
        ':waiting': 'waiting',
        ...(expected ? { ':expected': expected } : {}),
      },
    });
  }

  async listStaff(): Promise<StaffMember[]> {
    return staffFrom(await queryStaffItems(this.client, this.tableName));
  }

  async getStaffMember(agentId: string): Promise<StaffMember | null> {
    // Profile and live state share the agent's partition: one consistent query reads both.
    const items = await queryPartition(this.client, { tableName: this.tableName, pk: agentKey(agentId).PK });
    return staffFrom(items)[0] ?? null;
  }

  async listBacklog(queue: string, limit: number): Promise<WorkRecord[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': backlogPartition(queue) },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(workItemFromItem);
  }

  countWaiting(queues: readonly string[]): Promise<Record<string, WaitingCounts>> {
    return readWaitingCounts(this.client, this.tableName, queues);
  }

  oldestWaiting(queue: string, priorities: readonly Priority[]): Promise<string | null> {
    return readOldestWaiting(this.client, this.tableName, queue, priorities);
  }

  async listOwnedWork(agentId: string): Promise<WorkRecord[]> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': ownerPartition(agentId) },
    });
    // The index may lag a release by a moment: keep only what the agent still owns.
    return items
      .map(workItemFromItem)
      .filter((work) => work.owner === agentId && (work.status === 'offered' || work.status === 'accepted'));
  }

  async getWorkItem(workId: string): Promise<WorkRecord | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: workItemKey(workId), ConsistentRead: true }));
    return result.Item ? workItemFromItem(result.Item) : null;
  }

  async applyContacts(agentId: string, update: ContactUpdate): Promise<'applied' | 'stale'> {
    const newLoad = Object.values(update.contacts).reduce((sum, weight) => sum + weight, 0);
    // Read, then write on the condition that nothing changed: two events of one agent never both apply a difference.
    for (let attempt = 0; attempt < 5; attempt++) {
      const state = (
        await this.client.send(new GetCommand({ TableName: this.tableName, Key: agentStateKey(agentId), ConsistentRead: true }))
      ).Item;
      if (!state) return 'stale';
      if (typeof state.contactsAt === 'string' && state.contactsAt >= update.at) return 'stale';
      const oldLoad = Number(state.contactLoad ?? 0);
      const unchangedSince = typeof state.contactsAt === 'string' ? 'contactsAt = :seen' : 'attribute_not_exists(contactsAt)';
      // A new Connect status becomes presence, on the live state and the profile together.
      const presence = update.status && update.status.name !== state.connectStatus ? update.status : null;
      const stateUpdate = {
        TableName: this.tableName,
        Key: agentStateKey(agentId),
        UpdateExpression: `SET #load = #load + :delta, contactLoad = :newLoad, contacts = :contacts, contactsAt = :at, connectAgentArn = :arn, updatedAt = :at${
          presence ? ', presence = :presence, connectStatus = :status' : ''
        }`,
        ConditionExpression: `attribute_exists(PK) AND ${unchangedSince}`,
        ExpressionAttributeNames: { '#load': 'load' },
        ExpressionAttributeValues: {
          ':delta': newLoad - oldLoad,
          ':newLoad': newLoad,
          ':contacts': update.contacts,
          ':at': update.at,
          ':arn': update.connectAgentArn,
          ...(typeof state.contactsAt === 'string' ? { ':seen': state.contactsAt } : {}),
          ...(presence ? { ':presence': presence.presence, ':status': presence.name } : {}),
        },
      };
      if (!presence) {
        if (await this.conditionalUpdate(stateUpdate)) return 'applied';
        continue;
      }
      try {
        await new TransactionBuilder(this.tableName)
          .add({ Update: stateUpdate }, 'version')
          .add({ Update: profilePresenceUpdate(this.tableName, agentId, presence.presence, update.at) })
          .send(this.client);
        return 'applied';
      } catch (error) {
        if (!(error instanceof CommitConflict)) throw error;
      }
    }
    throw new Error(`agent ${agentId}: contacts kept changing under the update`);
  }

  /** An agent's live state as stored (tests and the Connect activity path). */
  async getAgentLoad(agentId: string) {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: agentStateKey(agentId), ConsistentRead: true }));
    if (!result.Item) return null;
    return liveFrom(agentId, result.Item, null);
  }

  /** Counter updates fail only on a lasting `TransactionConflict`: `dependent`, which callers throw on (never "taken"). */
  private moveCounts(transaction: TransactionBuilder, changes: Parameters<typeof waitingCountUpdates>[1]): void {
    for (const update of waitingCountUpdates(this.tableName, changes)) transaction.add(update, 'dependent');
  }

  private async conditionalUpdate(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
