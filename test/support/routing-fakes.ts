import type { RoutingMessages, WorkEvent, WorkEventPublisher, WorkRecord } from '#routing/domain/routing-ports';

/** A `route` message as sent, with the item as it was at the time. */
export interface SentRoute {
  item: WorkRecord;
  delaySeconds: number;
  excludeDecliners: boolean;
  recheckId: string | null;
}

/** An `expire-offer` message as sent. */
export interface SentExpiry {
  workId: string;
  queue: string;
  agentId: string;
  offerId: string;
  delaySeconds: number;
}

/** Routing's messages to itself, kept in order instead of sent to SQS. */
export class RecordingRoutingMessages implements RoutingMessages {
  readonly routes: SentRoute[] = [];
  readonly expiries: SentExpiry[] = [];

  async route(item: WorkRecord, options: { delaySeconds: number; excludeDecliners: boolean; recheckId?: string }): Promise<void> {
    this.routes.push({
      item: structuredClone(item),
      delaySeconds: options.delaySeconds,
      excludeDecliners: options.excludeDecliners,
      recheckId: options.recheckId ?? null,
    });
  }

  async expireOfferLater(offer: { workId: string; queue: string; agentId: string; offerId: string }, delaySeconds: number): Promise<void> {
    this.expiries.push({ ...offer, delaySeconds });
  }
}

/** Work events, kept batch by batch instead of put on the event bus. */
export class RecordingWorkEvents implements WorkEventPublisher {
  readonly batches: WorkEvent[][] = [];

  /** Every event published, in order, across batches. */
  get events(): WorkEvent[] {
    return this.batches.flat();
  }

  async publish(events: readonly WorkEvent[]): Promise<void> {
    this.batches.push(structuredClone([...events]));
  }
}
