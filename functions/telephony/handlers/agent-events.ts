import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { decodeKinesisData, parseConnectAgentEvent } from '../adapters/connect/agent-event.js';
import { agentActivityDepsFromEnv } from '../adapters/agent-activity-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { ValidationError } from '#platform/domain/errors';
import { recordAgentActivity } from '../use-cases/record-agent-activity.js';

const { store, deps } = agentActivityDepsFromEnv();

/**
 * Amazon Connect's agent event stream (Kinesis) → agents' load. A record that is not a Connect
 * agent event is logged and skipped (retrying cannot fix it); a failure stops the batch there and
 * Lambda retries from that record, so an agent's events stay in order.
 */
export async function handler(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  // One read of the staff per batch, not per record: a batch holds many events of the same agents.
  let staff: ReturnType<typeof store.listStaff> | undefined;
  const batchDeps = { ...deps, routing: { listStaff: () => (staff ??= store.listStaff()) } };
  for (const record of event.Records) {
    let parsed;
    try {
      parsed = parseConnectAgentEvent(decodeKinesisData(record.kinesis.data));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      logger.error('agent event skipped: not a Connect agent event', {
        sequenceNumber: record.kinesis.sequenceNumber,
        error: error.message,
        fields: error.fields,
      });
      continue;
    }
    try {
      const outcome = await recordAgentActivity(batchDeps, { event: parsed });
      logger.info('agent event', { eventId: parsed.eventId, eventType: parsed.eventType, username: parsed.username, outcome });
    } catch (error) {
      logger.error('agent event failed', { eventId: parsed.eventId, error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
}
