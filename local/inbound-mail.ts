import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { stampAuthenticationResults } from './authentication-stamp.js';
import type { CloudModel } from './cloud-template.js';
import type { ReceivedMail } from './services/smtp-inbound.js';

/**
 * What SES receiving and S3 event notifications do in AWS, done locally: store the raw message in
 * the mail bucket under the rule's prefix, then send the S3 event (its real shape) to every queue
 * the template subscribes to created objects under that prefix. The stand-in for S3 has no
 * notifications of its own, so this is where they come from.
 */
export function inboundMailDelivery(options: {
  model: CloudModel;
  s3: S3Client;
  sqs: SQSClient;
  queues: Map<string, { url: string; arn: string }>;
  region: string;
  /** The SES rule's S3 key prefix. */
  prefix: string;
}): (mail: ReceivedMail) => Promise<void> {
  const { model, s3, sqs, queues, region, prefix } = options;
  const notification = model.bucketNotifications.find((candidate) => prefix.startsWith(candidate.prefix) || candidate.prefix === '');
  if (!notification) throw new Error(`the template notifies no queue of objects under ${prefix}`);
  const bucket = model.buckets.find((candidate) => candidate.logicalId === notification.bucketLogicalId);
  const queue = queues.get(notification.queueLogicalId);
  if (!bucket || !queue) throw new Error('the mail notification names a bucket or queue the template lacks');

  return async (mail) => {
    const key = `${prefix}${ulid()}`;
    // SES writes its Authentication-Results on top of what it stores; so does the stand-in.
    const raw = stampAuthenticationResults(mail.raw, mail.mailFrom);
    await s3.send(new PutObjectCommand({ Bucket: bucket.localName, Key: key, Body: raw, ContentType: 'message/rfc822' }));
    const event = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: region,
          eventTime: new Date().toISOString(),
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:local-ses' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': randomUUID() },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'local',
            bucket: { name: bucket.localName, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket.localName}` },
            // S3 URL-encodes keys in events (spaces as +); our keys have neither.
            object: {
              key: encodeURIComponent(key).replace(/%2F/g, '/'),
              size: raw.length,
              sequencer: Date.now().toString(16).toUpperCase(),
            },
          },
        },
      ],
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(event) }));
  };
}
