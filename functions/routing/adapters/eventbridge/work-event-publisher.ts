import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { WorkEvent, WorkEventPublisher } from '../../domain/routing-ports.js';
import { awsClientConfig } from '#platform/adapters/aws-clients';

/** The `source` of every routing event on the Switchboard bus. */
export const ROUTING_EVENT_SOURCE = 'switchboard.routing';
/** PutEvents takes at most 10 entries per request. */
const MAX_ENTRIES = 10;

/**
 * Publishes work events on the Switchboard event bus, `detail-type` the event's type
 * (`work.offered`, …). The detail names the offer, so a consumer can drop a repeat.
 */
export class EventBridgeWorkEvents implements WorkEventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  static fromEnv(eventBusName: string): EventBridgeWorkEvents {
    return new EventBridgeWorkEvents(new EventBridgeClient(awsClientConfig()), eventBusName);
  }

  async publish(events: readonly WorkEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_ENTRIES) {
      const batch = events.slice(start, start + MAX_ENTRIES);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.eventBusName,
            Source: ROUTING_EVENT_SOURCE,
            DetailType: event.type,
            Resources: [],
            Detail: JSON.stringify(detailOf(event)),
          })),
        }),
      );
      // A partial failure must fail the stream batch, which is retried: repeats are tolerated, losses are not.
      if (result.FailedEntryCount) {
        const failed = (result.Entries ?? [])
          .filter((entry) => entry.ErrorCode)
          .map((entry) => `${entry.ErrorCode}: ${entry.ErrorMessage}`);
        throw new Error(`EventBridge refused ${result.FailedEntryCount} work event(s): ${failed.join('; ')}`);
      }
    }
  }
}

function detailOf(event: WorkEvent) {
  const { work } = event;
  return {
    workId: work.id,
    caseId: work.caseId,
    agentId: event.agentId,
    queue: work.queue,
    channel: work.channel,
    priority: work.priority,
    weight: work.weight,
    offerId: work.offerId,
    offerExpiresAt: work.offerExpiresAt,
    releaseReason: work.releaseReason,
  };
}
