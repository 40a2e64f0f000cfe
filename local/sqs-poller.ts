import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/**
 * Plays Lambda's SQS event source mapping locally: long-polls the queue, invokes the handler with
 * the real SQS event shape, and deletes only what succeeded. Failed messages become visible again
 * after the visibility timeout and, past the queue's maxReceiveCount, move to its dead-letter queue,
 * exactly as in AWS.
 */
export class SqsPoller {
  private running = true;
  private loop: Promise<void> | null = null;
  /** Ends the long poll in flight when the poller stops, instead of waiting out its second. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: { url: string; arn: string; region: string },
    private readonly handler: SqsHandler,
    private readonly options: { batchSize: number; reportBatchItemFailures: boolean; functionName: string },
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.pollOnce();
      } catch (error) {
        if (!this.running) return;
        console.error(`[sqs] ${this.options.functionName}:`, error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async pollOnce(): Promise<void> {
    const received = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queue.url,
        MaxNumberOfMessages: Math.min(this.options.batchSize, 10),
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.stopping.signal },
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return;
    const event: SQSEvent = {
      Records: messages.map((message) => ({
        messageId: message.MessageId ?? randomUUID(),
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: (message.Attributes ?? {}) as SQSEvent['Records'][number]['attributes'],
        messageAttributes: {},
        md5OfBody: message.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: this.queue.arn,
        awsRegion: this.queue.region,
      })),
    };
    let failed = new Set(event.Records.map((record) => record.messageId));
    try {
      const response = await this.handler(event, {
        functionName: this.options.functionName,
        awsRequestId: randomUUID(),
        getRemainingTimeInMillis: () => 30_000,
      } as Context);
      failed = new Set(
        this.options.reportBatchItemFailures ? (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier) : [],
      );
    } catch (error) {
      console.error(`[sqs] ${this.options.functionName} threw; the batch will be redelivered:`, error);
    }
    const done = messages.filter((message) => !failed.has(message.MessageId ?? ''));
    if (done.length > 0) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queue.url,
          Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
        }),
      );
    }
  }
}
