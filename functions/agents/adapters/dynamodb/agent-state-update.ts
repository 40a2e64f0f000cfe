import type { Presence } from '../../domain/agent.js';
import { agentKey } from './agent-item.js';
import { agentStateEntity, agentStateIndex, agentStateKey } from './agent-state-item.js';

/**
 * The one write of an agent's live state outside routing: presence and capacity, creating the item
 * (with zero load) when it is missing. The load itself belongs to routing's reservations and
 * releases and is never overwritten here. Usable alone (UpdateItem) or inside a transaction.
 */
export function agentStateUpdate(tableName: string, agentId: string, state: { presence: Presence; capacity: number; at: string }) {
  return {
    TableName: tableName,
    Key: agentStateKey(agentId),
    UpdateExpression:
      'SET presence = :presence, #capacity = :capacity, #load = if_not_exists(#load, :zero), idleSince = if_not_exists(idleSince, :at), updatedAt = :at, entity = :entity, agentId = :agentId, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk',
    ExpressionAttributeNames: { '#load': 'load', '#capacity': 'capacity' },
    ExpressionAttributeValues: {
      ':presence': state.presence,
      ':capacity': state.capacity,
      ':zero': 0,
      ':at': state.at,
      ':entity': agentStateEntity.tag,
      ':agentId': agentId,
      ':gsi1pk': agentStateIndex(agentId).GSI1PK,
      ':gsi1sk': agentStateIndex(agentId).GSI1SK,
    },
  };
}

/**
 * The presence on an agent's profile, kept equal to the live state's in the same transaction (the
 * profile is what `GET /agents` shows); only for an agent whose profile exists.
 */
export function profilePresenceUpdate(tableName: string, agentId: string, presence: Presence, at: string) {
  return {
    TableName: tableName,
    Key: agentKey(agentId),
    UpdateExpression: 'SET presence = :presence, updatedAt = :at',
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeValues: { ':presence': presence, ':at': at },
  };
}
