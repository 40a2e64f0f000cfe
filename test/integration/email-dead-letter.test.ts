import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { eventually, sendRaw } from '../support/mail.js';

const local = { endpoint: inject('fauxqsUrl'), region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const sqs = new SQSClient({ ...local, useQueueUrlAsEndpoint: false });
const s3 = new S3Client({ ...local, forcePathStyle: true });
afterAll(() => {
  sqs.destroy();
  s3.destroy();
});

async function queueDepth(nameContains: string): Promise<number> {
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
  const url = QueueUrls.find((candidate) => candidate.includes(nameContains));
  if (!url) throw new Error(`no queue like ${nameContains}: ${QueueUrls.join(', ')}`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

describe('mail that cannot be read', () => {
  it('is kept raw in the bucket and ends in the dead-letter queue after its retries, without a crash loop', async () => {
    const before = await queueDepth('EmailIntakeDeadLetterQueue');

    await sendRaw(Buffer.from('\u0000\u0001 this is not an email at all \u00ff\u00fe'), {
      from: 'broken@example.com',
      to: ['support@switchboard.local'],
    });
    const after = await eventually(
      async () => {
        const depth = await queueDepth('EmailIntakeDeadLetterQueue');
        return depth > before ? depth : undefined;
      },
      'the unreadable mail in the dead-letter queue',
      30_000,
    );
    const stored = await s3.send(new ListObjectsV2Command({ Bucket: 'mailbucket', Prefix: 'inbound/' }));

    expect(after).toBe(before + 1);
    expect(await queueDepth('EmailIntakeQueue')).toBe(0);
    expect((stored.Contents ?? []).length).toBeGreaterThan(0);
  }, 60_000);
});
