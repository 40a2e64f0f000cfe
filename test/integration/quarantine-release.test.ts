import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { caseKey, messagePrefix } from '#cases/adapters';
import { call, uniqueEmail } from '../support/api-client.js';
import { caseDetail, casesOf, composeMail, eventually, sendRaw } from '../support/mail.js';

/**
 * A released case's attachments through the local runtime: spam-verdict mail over SMTP opens a
 * quarantined case whose attachment is stored under quarantine/; an agent may not release it, a
 * supervisor may, and the email feature's stream function then moves the attachment out.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const s3 = new S3Client({ endpoint: inject('fauxqsUrl'), region: 'eu-central-1', credentials, forcePathStyle: true });
const raw = new DynamoDBClient({ endpoint: inject('dynamoDbUrl'), region: 'eu-central-1', credentials });
const dynamo = DynamoDBDocumentClient.from(raw);
afterAll(() => {
  s3.destroy();
  raw.destroy();
});

const BUCKET = 'mailbucket';
/** Generous: the CI machine is shared, and the release runs from the table stream. */
const RELEASE_DEADLINE_MS = 120_000;

/** The attachment keys of a case's messages, read from the cases table (the API never shows them). */
async function attachmentKeysOf(caseId: string): Promise<string[]> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: 'CasesTable',
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': caseKey(caseId).PK, ':prefix': messagePrefix },
      ConsistentRead: true,
    }),
  );
  return Items.flatMap((item) => ((item.attachments ?? []) as { key: string }[]).map((attachment) => attachment.key));
}

async function exists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

describe('releasing a quarantined case', () => {
  it('is refused to an agent (403); by a supervisor it moves the attachments out of quarantine/', async () => {
    const from = uniqueEmail('spam-attachment');
    await sendRaw(
      await composeMail({
        from,
        subject: 'Your parcel is waiting',
        text: 'Open the attached label to collect your parcel.',
        // Written by SES on mail it judged spam; the local SMTP stand-in keeps the header as sent.
        headers: { 'X-SES-Spam-Verdict': 'FAIL' },
        attachments: [{ filename: 'label.txt', content: 'PARCEL LABEL 4471', contentType: 'text/plain' }],
      }),
      { from, to: ['support@switchboard.local'] },
    );
    const held = await eventually(async () => (await casesOf(from))[0], `the quarantined case of ${from}`);
    expect(held.status).toBe('quarantined');
    const [heldKey] = await attachmentKeysOf(held.id);
    expect(heldKey).toMatch(/^quarantine\/attachments\/.+-label\.txt$/);
    expect(await exists(heldKey!)).toBe(true);

    const byAgent = await call('PATCH', `/cases/${held.id}`, { as: 'anna.nowak', body: { status: 'new', version: held.version } });
    expect([byAgent.status, byAgent.body.error.code]).toEqual([403, 'forbidden']);
    expect(await attachmentKeysOf(held.id)).toEqual([heldKey]);

    const bySupervisor = await call('PATCH', `/cases/${held.id}`, { as: 'supervisor-1', body: { status: 'new', version: held.version } });
    expect([bySupervisor.status, bySupervisor.body.status]).toEqual([200, 'new']);

    const releasedKey = heldKey!.slice('quarantine/'.length);
    await eventually(
      async () => ((await attachmentKeysOf(held.id)).every((key) => !key.startsWith('quarantine/')) ? true : undefined),
      'the message attachment keys out of quarantine/',
      RELEASE_DEADLINE_MS,
    );
    expect(await attachmentKeysOf(held.id)).toEqual([releasedKey]);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: releasedKey }));
    expect(await object.Body!.transformToString()).toBe('PARCEL LABEL 4471');
    await eventually(async () => ((await exists(heldKey!)) ? undefined : true), `${heldKey} deleted`, RELEASE_DEADLINE_MS);
  });

  it('opens spam-verdict mail that answers a case not held as a new quarantined case, related to it', async () => {
    const from = uniqueEmail('spam-reply');
    const firstId = `<IT-QR-${Date.now().toString(36)}@example.com>`;
    await sendRaw(await composeMail({ from, subject: 'Order 7712', text: 'Where is my order 7712, please?', messageId: firstId }), {
      from,
      to: ['support@switchboard.local'],
    });
    const first = await eventually(async () => (await casesOf(from))[0], `the case of ${from}`);

    await sendRaw(
      await composeMail({
        from,
        subject: 'Re: Order 7712',
        text: 'See the attached invoice.',
        inReplyTo: firstId,
        references: [firstId],
        headers: { 'X-SES-Spam-Verdict': 'FAIL' },
        attachments: [{ filename: 'invoice.txt', content: 'INVOICE', contentType: 'text/plain' }],
      }),
      { from, to: ['support@switchboard.local'] },
    );
    const cases = await eventually(async () => {
      const found = await casesOf(from);
      return found.length >= 2 ? found : undefined;
    }, `a second case of ${from}`);

    const held = cases.find((c: any) => c.id !== first.id);
    expect(held.status).toBe('quarantined');
    expect((await caseDetail(held.id)).relatedCases).toEqual([
      { caseId: first.id, number: first.number, relation: 'possibly_same_thread_as' },
    ]);
    expect((await caseDetail(first.id)).messages.filter((m: any) => m.direction === 'inbound')).toHaveLength(1);
    expect(await attachmentKeysOf(held.id)).toEqual([expect.stringMatching(/^quarantine\/attachments\//)]);
  });
});
