import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { caseKey, messageItem, messageKey } from '#cases/adapters';
import type { CaseMessage } from '#cases';
import { outboxRetryItem } from '#email/adapters/dynamodb/outbox-item';
import { DynamoOutboxStore } from '#email/adapters/dynamodb/outbox-store';
import type { EmailSender } from '#email/domain/email-ports';
import { LEASE_SECONDS, sendOutboundEmail } from '#email/use-cases/send-outbound-email';
import { call, newCaseBody, uniqueEmail } from '../support/api-client.js';
import { aMessage } from '../support/builders.js';
import { FakeClock } from '../support/fakes.js';
import { caseDetail, eventually, outboundTo } from '../support/mail.js';

/**
 * The outbox against DynamoDB Local and the running backend: its conditions on the real table, the
 * retry schedule putting a waiting message back in the outbox, and a copy of a sent message (as a
 * merge writes it) never reaching SES again. Items are written in states the outbox's trigger
 * ignores (`sending`, `retrying`) unless the test means the running outbox to act.
 */
const raw = new DynamoDBClient({
  endpoint: inject('dynamoDbUrl'),
  region: 'eu-central-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const outbox = new DynamoOutboxStore(client, 'CasesTable');
afterAll(() => raw.destroy());

let sequence = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${process.pid}-${(sequence += 1)}`;

/** An outbound message on an existing case, as the reply API writes it, in the delivery state given. */
function outboundMessage(caseId: string, to: string, delivery: Partial<NonNullable<CaseMessage['delivery']>>): CaseMessage {
  return aMessage({
    id: uniqueId('msg'),
    caseId,
    direction: 'outbound',
    kind: 'reply',
    from: 'support@switchboard.local',
    to: [to],
    subject: 'Outbox test',
    text: 'A reply the outbox sends.',
    messageId: `<${uniqueId('out')}@switchboard.local>`,
    attachments: [],
    rawKey: null,
    delivery: { status: 'sending', attempts: 0, leaseUntil: '2000-01-01T00:00:00.000Z', providerMessageId: null, error: null, ...delivery },
    createdAt: new Date().toISOString(),
  });
}

async function newCase(): Promise<{ id: string; email: string }> {
  const email = uniqueEmail('outbox');
  const created = await call('POST', '/cases', { body: newCaseBody({ customer: { email, name: 'Olga Outbox' } }) });
  expect(created.status).toBe(201);
  return { id: created.body.id, email };
}

async function storedDelivery(caseId: string, messageItemId: string): Promise<Record<string, unknown>> {
  const { Item } = await client.send(
    new GetCommand({ TableName: 'CasesTable', Key: messageKey(caseId, messageItemId), ConsistentRead: true }),
  );
  return Item?.delivery as Record<string, unknown>;
}

/** An SES stand-in inside the test: counts what it accepted. */
class CountingSes implements EmailSender {
  accepted = 0;
  async send() {
    this.accepted += 1;
    return { providerMessageId: `ses-${this.accepted}`, headerMessageIds: [`<${uniqueId('ses')}@eu-central-1.amazonses.com>`] };
  }
}

describe('the outbox on DynamoDB', () => {
  it('never sends a message SES accepted again when marking it sent failed: the send record answers the next attempt', async () => {
    const { id: caseId, email } = await newCase();
    const message = outboundMessage(caseId, email, {});
    await client.send(new PutCommand({ TableName: 'CasesTable', Item: messageItem(message) }));
    const ses = new CountingSes();
    const clock = new FakeClock(Date.now());
    let crash = true;
    const crashing = Object.assign(Object.create(outbox) as DynamoOutboxStore, {
      completeDelivery: (...args: Parameters<DynamoOutboxStore['completeDelivery']>) => {
        if (crash) return Promise.reject(new Error('the process died'));
        return outbox.completeDelivery(...args);
      },
    });
    const deps = { outbox: crashing, sender: ses, composer: { compose: async () => new TextEncoder().encode('raw') }, clock };

    await expect(sendOutboundEmail(deps, { caseId, messageItemId: message.id })).rejects.toThrow('the process died');
    crash = false;
    await expect(sendOutboundEmail(deps, { caseId, messageItemId: message.id })).rejects.toThrow(/held by an earlier attempt/);
    clock.advance(LEASE_SECONDS * 1000 + 1);
    const outcome = await sendOutboundEmail(deps, { caseId, messageItemId: message.id });

    expect(outcome).toBe('sent');
    expect(ses.accepted).toBe(1);
    expect(await storedDelivery(caseId, message.id)).toMatchObject({ status: 'sent', providerMessageId: 'ses-1', attempts: 2 });
  });

  it('refuses to record a failure for a message no attempt holds, and drops a retry whose message moved on', async () => {
    const { id: caseId, email } = await newCase();
    const message = outboundMessage(caseId, email, { status: 'sent' });
    await client.send(new PutCommand({ TableName: 'CasesTable', Item: messageItem(message) }));
    const failure = {
      error: 'x',
      next: 'retrying' as const,
      retryAt: '2000-01-01T00:00:00.000Z',
      refundAttempt: false,
      releaseIntent: null,
    };

    await expect(outbox.failDelivery(caseId, message.id, failure)).rejects.toThrow();
    const moot = { retryAt: '2000-01-01T00:00:00.000Z', caseId, messageItemId: message.id };
    await client.send(
      new PutCommand({
        TableName: 'CasesTable',
        Item: outboxRetryItem(moot),
      }),
    );

    expect(await outbox.requeue(moot)).toBe(false);
    expect(await storedDelivery(caseId, message.id)).toMatchObject({ status: 'sent' });
    expect((await outbox.listDueRetries('2000-01-01T00:00:00.001Z', 100)).filter((r) => r.messageItemId === message.id)).toEqual([]);
  });
});

describe('the running outbox', () => {
  it('sends a message waiting for its retry once the schedule queues it again, once', async () => {
    const { id: caseId, email } = await newCase();
    const message = outboundMessage(caseId, email, { attempts: 1 });
    await client.send(new PutCommand({ TableName: 'CasesTable', Item: messageItem(message) }));
    // The first attempt failed: waiting as `retrying`, due a second ago.
    await outbox.failDelivery(caseId, message.id, {
      error: 'InternalFailure',
      next: 'retrying',
      retryAt: new Date(Date.now() - 1000).toISOString(),
      refundAttempt: false,
      releaseIntent: null,
    });
    expect(await storedDelivery(caseId, message.id)).toMatchObject({ status: 'retrying' });

    // The schedule runs every minute locally: wait for its next run and the send it causes.
    const sent = await eventually(
      async () => {
        const detail = await caseDetail(caseId);
        const found = detail.messages.find((m: any) => m.id === message.id);
        return found?.deliveryStatus === 'sent' ? found : undefined;
      },
      'the retried message sent',
      150_000,
    );

    expect(sent.deliveryStatus).toBe('sent');
    expect(await outboundTo(email)).toHaveLength(1);
    expect(await storedDelivery(caseId, message.id)).toMatchObject({ status: 'sent', attempts: 2 });
  }, 180_000);

  it('records a copy of a sent message (as a merge writes it, still queued) sent without sending it again', async () => {
    const source = await newCase();
    const target = await newCase();
    const reply = await call('POST', `/cases/${source.id}/replies`, { body: { body: 'Your parcel left our warehouse today.' } });
    expect(reply.status).toBe(201);
    await eventually(async () => ((await outboundTo(source.email)).length === 1 ? true : undefined), 'the reply at SES');
    const { Item } = await client.send(
      new GetCommand({ TableName: 'CasesTable', Key: messageKey(source.id, reply.body.id), ConsistentRead: true }),
    );
    await eventually(async () => ((await storedDelivery(source.id, reply.body.id)).status === 'sent' ? true : undefined), 'the reply sent');

    // The copy as read before the send was recorded: still queued, which the outbox's trigger passes.
    await client.send(
      new PutCommand({
        TableName: 'CasesTable',
        Item: { ...Item, PK: caseKey(target.id).PK, caseId: target.id, delivery: { ...(Item!.delivery as object), status: 'queued' } },
      }),
    );
    const copy = await eventually(async () => {
      const delivery = await storedDelivery(target.id, reply.body.id);
      return delivery.status === 'sent' ? delivery : undefined;
    }, 'the copy settled by the outbox');

    expect(copy).toMatchObject({ status: 'sent' });
    expect(await outboundTo(source.email)).toHaveLength(1);
  }, 60_000);
});
