import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Presence } from '../../domain/agents/agent.js';
import { CommitConflict } from '../../domain/ports.js';
import type { ReservationOutcome, RoutingStore, WorkRecord } from '../../domain/routing/routing-ports.js';
import type { WorkItem } from '../../domain/routing/work-item.js';
import { agentStateUpdate } from './agent-state-update.js';
import { workItemFromItem } from './items.js';
import { keys } from './keys.js';
import { TransactionBuilder } from './transaction.js';

/** Routing's claims in the agent-state table, as the domain's `RoutingStore`. */
export class DynamoRoutingStore implements RoutingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async setAgentState(agentId: string, state: { presence: Presence; capacity: number; at: string }): Promise<void> {
    await this.client.send(new UpdateCommand(agentStateUpdate(this.tableName, agentId, state)));
  }

  async enqueue(item: WorkItem): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, ...keys.workItem(item.id), entity: 'work', status: 'waiting', owner: null },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async reserve(claim: { agentId: string; workId: string; weight: number; capacity: number; at: string; offerExpiresAt: string }): Promise<ReservationOutcome> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: keys.agentState(claim.agentId),
          UpdateExpression: 'SET #load = #load + :weight, idleSince = :none, updatedAt = :at',
          // DynamoDB cannot add in a condition: "load + weight <= capacity" is "load <= capacity - weight",
          // with the capacity the limit was computed from checked too.
          ConditionExpression: 'presence = :available AND #capacity = :capacity AND #load <= :limit',
          ExpressionAttributeNames: { '#load': 'load', '#capacity': 'capacity' },
          ExpressionAttributeValues: {
            ':weight': claim.weight,
            ':none': null,
            ':at': claim.at,
            ':available': 'available',
            ':capacity': claim.capacity,
            ':limit': claim.capacity - claim.weight,
          },
        },
      },
      'version',
    );
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: keys.workItem(claim.workId),
          UpdateExpression: 'SET #owner = :agent, #status = :offered, offerExpiresAt = :expires, offeredAt = :at',
          ConditionExpression: '#status = :waiting AND #owner = :nobody',
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
          ExpressionAttributeValues: { ':agent': claim.agentId, ':offered': 'offered', ':expires': claim.offerExpiresAt, ':at': claim.at, ':waiting': 'waiting', ':nobody': null },
        },
      },
      'duplicate',
    );
    try {
      await transaction.send(this.client);
      return 'reserved';
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      return error.reason === 'duplicate' ? 'item_taken' : 'agent_refused';
    }
  }

  async release(release: { agentId: string; workId: string; weight: number; at: string; reason: 'declined' | 'timed_out' | 'finished'; requeue: boolean }): Promise<boolean> {
    const transaction = new TransactionBuilder(this.tableName);
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: keys.agentState(release.agentId),
          UpdateExpression: 'SET #load = #load - :weight, updatedAt = :at',
          ConditionExpression: '#load >= :weight',
          ExpressionAttributeNames: { '#load': 'load' },
          ExpressionAttributeValues: { ':weight': release.weight, ':at': release.at },
        },
      },
      'version',
    );
    transaction.add(
      {
        Update: {
          TableName: this.tableName,
          Key: keys.workItem(release.workId),
          UpdateExpression: release.requeue
            ? 'SET #owner = :nobody, #status = :waiting, declinedBy = list_append(declinedBy, :agentList), releasedAt = :at, releaseReason = :reason'
            : 'SET #owner = :nobody, #status = :done, releasedAt = :at, releaseReason = :reason',
          // Only the owner releases, once: a repeated release finds no owner and changes nothing.
          ConditionExpression: '#owner = :agent',
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
          ExpressionAttributeValues: {
            ':nobody': null,
            ':agent': release.agentId,
            ':at': release.at,
            ':reason': release.reason,
            ...(release.requeue ? { ':waiting': 'waiting', ':agentList': release.reason === 'finished' ? [] : [release.agentId] } : { ':done': 'done' }),
          },
        },
      },
      'duplicate',
    );
    try {
      await transaction.send(this.client);
      return true;
    } catch (error) {
      if (error instanceof CommitConflict) return false;
      throw error;
    }
  }

  async getAgentLoad(agentId: string) {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.agentState(agentId), ConsistentRead: true }));
    if (!result.Item) return null;
    return {
      presence: result.Item.presence as Presence,
      load: Number(result.Item.load),
      capacity: Number(result.Item.capacity),
      idleSince: (result.Item.idleSince as string | null) ?? null,
    };
  }

  async getWorkItem(workId: string): Promise<WorkRecord | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.workItem(workId), ConsistentRead: true }));
    return result.Item ? workItemFromItem(result.Item) : null;
  }

}
