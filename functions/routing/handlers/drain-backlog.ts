import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { routingDepsFromEnv } from '../adapters/routing-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { drainBacklog } from '../use-cases/drain-backlog.js';
import { imagesOf } from '#platform/adapters/dynamodb/stream-records';
import { AGENT_STATE_TABLE_ENTITIES } from '#tables/entities';

const AGENT_STATE = AGENT_STATE_TABLE_ENTITIES['agent-state'].tag;

const deps = routingDepsFromEnv();

/**
 * Agent-state table stream (live states of available agents, by the event source filter) → a
 * drain of the backlog for each agent whose room grew: they became available, their capacity
 * grew, or their load fell (work finished, declined or timed out, a call ended).
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const freed = new Map<string, string>();
  for (const record of event.Records) {
    const { before, after } = imagesOf(record);
    if (!after || after.entity !== AGENT_STATE || after.presence !== 'available') continue;
    const roomBefore = before && before.presence === 'available' ? Number(before.capacity) - Number(before.load) : Number.NEGATIVE_INFINITY;
    const roomAfter = Number(after.capacity) - Number(after.load);
    // One drain per agent per batch, at the agent's latest record.
    if (roomAfter > roomBefore) freed.set(String(after.agentId), record.dynamodb?.SequenceNumber ?? '');
  }
  // In stream order, so a failure reported at one record leaves only later records to the retry.
  const ordered = [...freed].sort(([, a], [, b]) => (BigInt(a || '0') < BigInt(b || '0') ? -1 : 1));
  for (const [agentId, sequenceNumber] of ordered) {
    try {
      const outcome = await drainBacklog(deps, { agentId });
      logger.info('backlog drained', { agentId, offered: outcome.offered.length, stoppedBecause: outcome.stoppedBecause });
    } catch (error) {
      logger.error('backlog drain failed', { agentId, error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
}
