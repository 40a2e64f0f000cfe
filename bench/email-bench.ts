import { AsyncLocalStorage } from 'node:async_hooks';
import { BatchGetItemCommand, DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';
import { createTransport } from 'nodemailer';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { s3Client } from '#email/adapters/s3/s3-mail-object-store';
import { sesClient } from '#email/adapters/ses/ses-email-sender';
import { percentile, round, type Figure } from './report.js';

type IntakeHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** Requests and time spent in them, per service, counted on the intake's own SDK clients. */
interface Tally {
  dynamoReads: number;
  dynamoWrites: number;
  s3: number;
  dynamoMs: number;
}
const WRITES = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;
/**
 * The tally of the invocation being measured. The outbox function shares these clients and runs in
 * the same process (on the table stream), so requests are counted only inside the measured call.
 */
const measuring = new AsyncLocalStorage<Tally>();

function installTally(): void {
  dynamoDocumentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const tally = measuring.getStore();
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        if (tally) {
          tally.dynamoMs += performance.now() - started;
          if (WRITES.test(String(context.commandName))) tally.dynamoWrites += 1;
          else tally.dynamoReads += 1;
        }
      }
    },
    { step: 'initialize', name: 'benchEmailTally' },
  );
  s3Client.middlewareStack.add(
    (next) => async (args) => {
      const tally = measuring.getStore();
      if (tally) tally.s3 += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchEmailS3Tally' },
  );
  sesClient.middlewareStack.add(
    (next) => async (args) => {
      sesSends += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchEmailSesTally' },
  );
}

/** SES requests of the outbox function, which runs in this process on the table stream. */
let sesSends = 0;

/** Message-IDs of the new-case mails, so the replies can refer to them. */
const newMessageIds = new Map<number, string>();

async function rawMail(i: number, extra: { inReplyTo?: string; from?: string } = {}): Promise<Buffer> {
  const messageId = `<bench-${extra.inReplyTo ? 'reply' : 'new'}-${i}-${Date.now()}@example.com>`;
  if (!extra.inReplyTo) newMessageIds.set(i, messageId);
  return new MailComposer({
    from: extra.from ?? `bench-${i}@example.com`,
    to: 'support@switchboard.local',
    subject: extra.inReplyTo ? `Re: Order ${i}` : `Order ${i} did not arrive`,
    text: extra.inReplyTo
      ? 'Any news about my parcel? I am still waiting for it.'
      : `Good morning, my order ${i} was due last week and the tracking page shows nothing since Monday. Please help.`,
    messageId,
    inReplyTo: extra.inReplyTo,
    references: extra.inReplyTo ? [extra.inReplyTo] : undefined,
  })
    .compile()
    .build();
}

function s3Event(bucket: string, key: string): SQSEvent {
  const body = JSON.stringify({
    Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key } } }],
  });
  return { Records: [{ messageId: key, body } as SQSEvent['Records'][number]] };
}

/**
 * Email intake: the DynamoDB and S3 requests one message costs (a new case; a threaded reply),
 * measured on the real handler's clients; and the end-to-end rate over SMTP through the local
 * queue, beside the rate DynamoDB Local itself sustains for the same requests in the same run.
 */
export async function benchEmailIntake(options: {
  intake: IntakeHandler;
  bucket: string;
  smtpPort: number;
  messages: number;
}): Promise<Figure[]> {
  installTally();
  const { intake, bucket, messages } = options;
  const uploader = new S3Client({ forcePathStyle: true });

  const perMessage = async (raw: Buffer, key: string) => {
    await uploader.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: raw }));
    const tally: Tally = { dynamoReads: 0, dynamoWrites: 0, s3: 0, dynamoMs: 0 };
    const started = performance.now();
    const result = await measuring.run(tally, () => intake(s3Event(bucket, key)));
    if (result.batchItemFailures.length > 0) throw new Error(`intake failed for ${key}`);
    return { ms: performance.now() - started, ...tally };
  };

  const newCases = [];
  const sesBefore = sesSends;
  for (let i = 0; i < messages; i += 1) newCases.push(await perMessage(await rawMail(i), `inbound/bench-new-${i}`));
  // The acknowledgements go out through the outbox on the table stream: give it time to drain.
  for (let waited = 0; sesSends - sesBefore < messages && waited < 15_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const sesPerNewCase = (sesSends - sesBefore) / messages;
  const replies = [];
  for (let i = 0; i < messages; i += 1) {
    replies.push(await perMessage(await rawMail(i, { inReplyTo: newMessageIds.get(i) }), `inbound/bench-reply-${i}`));
  }
  const mean = (rows: Tally[], field: keyof Tally) => round(rows.reduce((sum, row) => sum + row[field], 0) / rows.length);
  const dynamoShare = (rows: (Tally & { ms: number })[]) =>
    round((100 * rows.reduce((sum, row) => sum + row.dynamoMs, 0)) / rows.reduce((sum, row) => sum + row.ms, 0), 1);

  const endToEnd = await smtpRate(options.smtpPort, messages);
  const dynamoRate = await rawDynamoRate(messages);
  uploader.destroy();

  return [
    { name: 'email new case DynamoDB writes', value: mean(newCases, 'dynamoWrites'), unit: 'requests', target: '1 (a transaction)' },
    { name: 'email new case DynamoDB reads', value: mean(newCases, 'dynamoReads'), unit: 'requests', target: 'a few' },
    { name: 'email new case S3 requests', value: mean(newCases, 's3'), unit: 'requests' },
    { name: 'email new case SES requests (outbox, the acknowledgement)', value: round(sesPerNewCase), unit: 'requests' },
    {
      name: 'email new case intake p50',
      value: round(
        percentile(
          newCases.map((row) => row.ms),
          50,
        ),
      ),
      unit: 'ms',
    },
    { name: 'email new case time in DynamoDB', value: dynamoShare(newCases), unit: '%' },
    { name: 'email threaded reply DynamoDB writes', value: mean(replies, 'dynamoWrites'), unit: 'requests' },
    { name: 'email threaded reply DynamoDB reads', value: mean(replies, 'dynamoReads'), unit: 'requests' },
    { name: 'email threaded reply S3 requests', value: mean(replies, 's3'), unit: 'requests' },
    {
      name: 'email threaded reply intake p50',
      value: round(
        percentile(
          replies.map((row) => row.ms),
          50,
        ),
      ),
      unit: 'ms',
    },
    { name: 'email end-to-end over SMTP', value: round(endToEnd, 1), unit: 'msg/s' },
    { name: 'DynamoDB Local, same requests raw', value: round(dynamoRate, 1), unit: 'sets/s' },
    { name: 'email end-to-end / DynamoDB raw rate', value: round(endToEnd / dynamoRate), unit: 'x' },
  ];
}

/** Sends `count` new mails over SMTP and waits until the intake queue is empty: messages per second. */
async function smtpRate(port: number, count: number): Promise<number> {
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
  const queueUrl = QueueUrls.find((url) => url.includes('EmailIntakeQueue')) as string;
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 });
  const started = performance.now();
  const raws = await Promise.all(Array.from({ length: count }, (_, i) => rawMail(10_000 + i, { from: `smtp-${i}@example.com` })));
  await Promise.all(
    raws.map((raw, i) => transport.sendMail({ envelope: { from: `smtp-${i}@example.com`, to: ['support@switchboard.local'] }, raw })),
  );
  for (;;) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    if (Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  sqs.destroy();
  return count / seconds;
}

/**
 * The same DynamoDB requests a new case makes (a 6-key BatchGet, a 1-key BatchGet and a 14-item
 * transaction: counter, case, number, customer, identity, three audit entries, two messages, two
 * Message-IDs, fingerprint and acknowledgement log), sent raw one after another: the rate DynamoDB Local allows a sequential intake.
 */
async function rawDynamoRate(count: number): Promise<number> {
  const raw = new DynamoDBClient({});
  const table = process.env.CASES_TABLE_NAME as string;
  const key = (pk: string) => ({ PK: { S: pk }, SK: { S: 'RAW' } });
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    await raw.send(
      new BatchGetItemCommand({
        RequestItems: { [table]: { Keys: [0, 1, 2, 3, 4, 5].map((k) => key(`RAWMAIL#${i}#${k}`)), ConsistentRead: true } },
      }),
    );
    await raw.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [key(`RAWMAIL#${i}#case`)], ConsistentRead: true } } }));
    await raw.send(
      new TransactWriteItemsCommand({
        TransactItems: Array.from({ length: 14 }, (_, k) => ({
          Put: { TableName: table, Item: { ...key(`RAWMAILTX#${i}#${k}`), payload: { S: 'x'.repeat(400) } } },
        })),
      }),
    );
  }
  raw.destroy();
  return count / ((performance.now() - started) / 1000);
}
