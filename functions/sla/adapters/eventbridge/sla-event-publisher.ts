import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SlaEvent, SlaEventPublisher } from '../../domain/sla-ports.js';
import { awsClientConfig } from '#platform/adapters/aws-clients';

/** The `source` of every SLA event on the Switchboard bus. */
export const SLA_EVENT_SOURCE = 'switchboard.sla';
/** PutEvents takes at most 10 entries per request. */
const MAX_ENTRIES = 10;

/**
 * Publishes SLA events on the Switchboard event bus, `detail-type` the event's type (`sla.warning`,
 * `sla.breached`, `sla.met`). Delivery is at least once: the detail names the case, milestone,
 * cycle and level, so a consumer can drop a repeat.
 */
export class EventBridgeSlaEvents implements SlaEventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  static fromEnv(eventBusName: string): EventBridgeSlaEvents {
    return new EventBridgeSlaEvents(new EventBridgeClient(awsClientConfig()), eventBusName);
  }

  async publish(events: readonly SlaEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_ENTRIES) {
      const batch = events.slice(start, start + MAX_ENTRIES);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map(({ type, ...detail }) => ({
            EventBusName: this.eventBusName,
            Source: SLA_EVENT_SOURCE,
            DetailType: type,
            Resources: [],
            Detail: JSON.stringify(detail),
          })),
        }),
      );
      // A partial failure fails the stream batch, which is retried: repeats are tolerated, losses are not.
      if (result.FailedEntryCount) {
        const failed = (result.Entries ?? [])
          .filter((entry) => entry.ErrorCode)
          .map((entry) => `${entry.ErrorCode}: ${entry.ErrorMessage}`);
        throw new Error(`EventBridge refused ${result.FailedEntryCount} SLA event(s): ${failed.join('; ')}`);
      }
    }
  }
}
