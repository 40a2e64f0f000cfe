import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MergeQueue } from '../../domain/case-ports.js';
import { awsClientConfig } from '#platform/adapters/aws-clients';

/** A merge job's message: its id alone; the job's state is in the cases table. */
export interface MergeMessage {
  mergeId: string;
}

/** Merge jobs handed to the merge worker through its queue. */
export class SqsMergeQueue implements MergeQueue {
  private client: SQSClient | null = null;

  // The regional endpoint rather than the queue URL's host: the same service in AWS, and the local
  // stand-in's queue URLs name a host that does not resolve.
  constructor(
    private readonly queueUrl: string,
    private readonly makeClient: () => SQSClient = () => new SQSClient({ ...awsClientConfig(), useQueueUrlAsEndpoint: false }),
  ) {}

  async enqueue(mergeId: string, delaySeconds: number): Promise<void> {
    this.client ??= this.makeClient();
    const message: MergeMessage = { mergeId };
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))),
      }),
    );
  }
}
