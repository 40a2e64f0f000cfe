import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { RoutingMessages, WorkRecord } from '../../domain/routing-ports.js';
import { readEnv, routingQueueUrlVariable } from '#platform/adapters/env-variables';
import { type RoutingMessage, snapshotOf } from './routing-message.js';
import { awsClientConfig } from '#platform/adapters/aws-clients';

/** SQS delays a message by at most 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/** Routing's messages to itself through the routing queue of each item's queue. */
export class SqsRoutingMessages implements RoutingMessages {
  private client: SQSClient | null = null;

  /** The client is made at the first send: the API's routing function composes these deps but never sends. */
  // The regional endpoint rather than the queue URL's host: the same service in AWS, and the local
  // stand-in's queue URLs name a host that does not resolve.
  constructor(private readonly makeClient: () => SQSClient = () => new SQSClient({ ...awsClientConfig(), useQueueUrlAsEndpoint: false })) {}

  async route(item: WorkRecord, options: { delaySeconds: number; excludeDecliners: boolean; recheckId?: string }): Promise<void> {
    await this.send(
      item.queue,
      { type: 'route', item: snapshotOf(item), excludeDecliners: options.excludeDecliners, recheckId: options.recheckId ?? null },
      options.delaySeconds,
    );
  }

  async expireOfferLater(offer: { workId: string; queue: string; agentId: string; offerId: string }, delaySeconds: number): Promise<void> {
    await this.send(
      offer.queue,
      { type: 'expire-offer', workId: offer.workId, agentId: offer.agentId, offerId: offer.offerId },
      delaySeconds,
    );
  }

  private async send(queue: string, message: RoutingMessage, delaySeconds: number): Promise<void> {
    const url = readEnv(routingQueueUrlVariable(queue));
    this.client ??= this.makeClient();
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: JSON.stringify(message),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds))),
      }),
    );
  }
}
