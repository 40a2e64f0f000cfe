import { beforeEach, describe, expect, it } from 'vitest';
import type { CaseMessage } from '#cases';
import type { EmailSender } from '#email/domain/email-ports';
import { requeueDueMail } from '#email/use-cases/requeue-due-mail';
import {
  DeliveryHeldError,
  LEASE_SECONDS,
  MAX_DELIVERY_ATTEMPTS,
  RETRY_DELAYS_MINUTES,
  sendOutboundEmail,
  THROTTLED_RETRY_MINUTES,
} from '#email/use-cases/send-outbound-email';
import { aMessage } from '../../support/builders.js';
import { FakeClock } from '../../support/fakes.js';
import { InMemoryOutboxStore } from '../../support/memory/in-memory-outbox-store.js';

/** SES as the outbox sees it: it keeps what it accepted; each queued answer is used once, then it accepts. */
class FakeSes implements EmailSender {
  readonly accepted: { intentId: string; to: string[] }[] = [];
  private readonly answers: (Error | 'accept-then-lose-answer')[] = [];

  answer(...answers: (Error | 'accept-then-lose-answer')[]): this {
    this.answers.push(...answers);
    return this;
  }

  async send(message: { from: string; to: string[]; cc: string[]; raw: Uint8Array; intentId: string }) {
    const answer = this.answers.shift();
    if (answer instanceof Error) throw answer;
    this.accepted.push({ intentId: message.intentId, to: message.to });
    if (answer === 'accept-then-lose-answer')
      throw Object.assign(new Error('Connection timed out after 20000 ms'), { name: 'TimeoutError' });
    const id = `ses-${this.accepted.length}`;
    return { providerMessageId: id, headerMessageIds: [`<${id}@eu-central-1.amazonses.com>`] };
  }
}

const sesError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

const outbound = (overrides: Partial<CaseMessage> = {}): CaseMessage =>
  aMessage({
    id: 'm-out',
    caseId: 'case-1',
    direction: 'outbound',
    kind: 'reply',
    from: 'support@example.com',
    to: ['anna@example.pl'],
    attachments: [],
    rawKey: null,
    delivery: { status: 'queued', attempts: 0, leaseUntil: null, providerMessageId: null, error: null },
    ...overrides,
  });

let outbox: InMemoryOutboxStore;
let ses: FakeSes;
let clock: FakeClock;
const deps = () => ({ outbox, sender: ses, composer: { compose: async () => new TextEncoder().encode('raw') }, clock });
const send = (message = { caseId: 'case-1', messageItemId: 'm-out' }) => sendOutboundEmail(deps(), message);
const status = (caseId = 'case-1') => outbox.message(caseId, 'm-out').delivery;
const minutes = (n: number) => n * 60_000;

/** Runs the requeue schedule at the current time, as EventBridge does every minute. */
const requeue = () => requeueDueMail({ outbox, clock });

beforeEach(() => {
  outbox = new InMemoryOutboxStore();
  ses = new FakeSes();
  clock = new FakeClock();
  outbox.put(outbound());
});

describe('sendOutboundEmail', () => {
  it('sends a queued message once and records it sent with the Message-IDs SES gave it', async () => {
    expect(await send()).toBe('sent');
    expect(await send()).toBe('skipped');

    expect(ses.accepted).toEqual([{ intentId: 'm-out-1', to: ['anna@example.pl'] }]);
    expect(status()).toMatchObject({ status: 'sent', providerMessageId: 'ses-1', attempts: 1 });
    expect(outbox.indexedMessageIds).toEqual(['<ses-1@eu-central-1.amazonses.com>']);
  });

  it('waits 1, 5 and 30 minutes between failed attempts, then fails the message for good', async () => {
    ses.answer(...Array.from({ length: MAX_DELIVERY_ATTEMPTS }, () => sesError('InternalFailure')));

    expect(await send()).toBe('retry');
    for (const delay of RETRY_DELAYS_MINUTES) {
      expect(status()).toMatchObject({ status: 'retrying', retryAt: new Date(clock.now() + minutes(delay)).toISOString() });
      // A minute short of the wait, the schedule leaves it alone (and the stream has no record to send).
      clock.advance(minutes(delay) - 1);
      expect(await requeue()).toBe(0);
      expect(await send()).toBe('skipped');
      clock.advance(1);
      expect(await requeue()).toBe(1);
      expect(status()!.status).toBe('queued');
      expect(await send()).toBe(delay === RETRY_DELAYS_MINUTES.at(-1) ? 'failed' : 'retry');
    }

    expect(status()).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS, error: 'InternalFailure' });
    expect(outbox.retries).toEqual([]);
    expect(ses.accepted).toEqual([]);
  });

  it('sends on a later attempt after a failure, once', async () => {
    ses.answer(sesError('InternalFailure'));

    expect(await send()).toBe('retry');
    clock.advance(minutes(1));
    await requeue();
    expect(await send()).toBe('sent');

    expect(ses.accepted.map((accepted) => accepted.intentId)).toEqual(['m-out-2']);
    expect(status()).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it.each([
    ['ThrottlingException', sesError('ThrottlingException', 'Rate exceeded')],
    ['TooManyRequestsException', sesError('TooManyRequestsException')],
    ['Maximum sending rate exceeded', sesError('Throttling', 'Maximum sending rate exceeded.')],
  ])('does not count throttling (%s) as an attempt, and retries it after a minute', async (_name, throttled) => {
    ses.answer(...Array.from({ length: MAX_DELIVERY_ATTEMPTS + 2 }, () => throttled));

    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS + 2; i++) {
      expect(await send()).toBe('retry');
      expect(status()).toMatchObject({ status: 'retrying', attempts: 0 });
      clock.advance(minutes(THROTTLED_RETRY_MINUTES));
      expect(await requeue()).toBe(1);
    }
    expect(await send()).toBe('sent');

    expect(status()).toMatchObject({ status: 'sent', attempts: 1 });
    expect(ses.accepted).toHaveLength(1);
  });

  it('fails a message SES refuses for good at once, without a retry', async () => {
    ses.answer(sesError('MessageRejected', 'Email address is not verified.'));

    expect(await send()).toBe('failed');

    expect(status()).toMatchObject({ status: 'failed', attempts: 1, error: 'Email address is not verified.' });
    expect(outbox.retries).toEqual([]);
  });

  it('never sends a message SES accepted again when recording it sent fails: the send record tells the next attempt', async () => {
    // The crash: SES accepted, the send record says so, marking the message sent fails.
    outbox.failNext('completeDelivery', new Error('ProvisionedThroughputExceededException'));
    await expect(send()).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(status()!.status).toBe('sending');

    // The stream retries the record: first while the lease runs, then after it.
    await expect(send()).rejects.toThrow(DeliveryHeldError);
    clock.advance(LEASE_SECONDS * 1000 + 1);
    expect(await send()).toBe('sent');

    expect(ses.accepted).toHaveLength(1);
    expect(status()).toMatchObject({ status: 'sent', providerMessageId: 'ses-1' });
    expect(outbox.indexedMessageIds).toEqual(['<ses-1@eu-central-1.amazonses.com>']);
  });

  it('never sends a message again when the process dies between SES accepting it and any record: it fails as outcome unknown', async () => {
    // SES accepted it; every try to write the send record fails (the process might as well have died).
    const recordAccepted = outbox.recordAccepted.bind(outbox);
    outbox.recordAccepted = () => Promise.reject(new Error('network down'));
    await expect(send()).rejects.toThrow('network down');
    outbox.recordAccepted = recordAccepted;

    clock.advance(LEASE_SECONDS * 1000 + 1);
    expect(await send()).toBe('failed');

    expect(ses.accepted).toHaveLength(1);
    expect(status()).toMatchObject({ status: 'failed', error: expect.stringContaining('outcome unknown: attempt m-out-1') });
    // An operator who queues it again does not get it sent either, until they clear the send record.
    outbox.put({ ...outbox.message('case-1', 'm-out'), delivery: { ...status()!, status: 'queued' } });
    expect(await send()).toBe('failed');
    expect(ses.accepted).toHaveLength(1);
  });

  it('does not send again when SES may have accepted an attempt whose answer was lost', async () => {
    ses.answer('accept-then-lose-answer');

    expect(await send()).toBe('failed');

    expect(ses.accepted).toHaveLength(1);
    expect(status()).toMatchObject({ status: 'failed', error: expect.stringContaining('outcome unknown') });
    expect(outbox.retries).toEqual([]);
  });

  it('treats a connection never made as a plain failure, retried later', async () => {
    ses.answer(
      Object.assign(
        new Error(
          '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 1000 ms.',
        ),
        { name: 'TimeoutError' },
      ),
    );

    expect(await send()).toBe('retry');
    expect(status()!.status).toBe('retrying');
  });

  it('never sends a copy of a message (a merge) that was already sent: the send record is keyed by the message alone', async () => {
    expect(await send()).toBe('sent');
    // A merge copies the message item, still queued as it was read, into another case.
    outbox.put(outbound({ caseId: 'case-2' }));

    expect(await send({ caseId: 'case-2', messageItemId: 'm-out' })).toBe('sent');

    expect(ses.accepted).toHaveLength(1);
    expect(status('case-2')).toMatchObject({ status: 'sent', providerMessageId: 'ses-1' });
  });

  it('holds a copy of a message whose send is under way on the original, and settles it once that is accepted', async () => {
    // The original is claimed and its intent recorded; SES has not answered yet.
    const [now, leaseUntil] = [new Date(clock.now()).toISOString(), new Date(clock.now() + LEASE_SECONDS * 1000).toISOString()];
    await outbox.claimDelivery('case-1', 'm-out', now, leaseUntil);
    await outbox.beginSend(outbound(), { intentId: 'm-out-1', leaseUntil, now });
    outbox.put(outbound({ caseId: 'case-2' }));

    await expect(send({ caseId: 'case-2', messageItemId: 'm-out' })).rejects.toThrow(DeliveryHeldError);
    expect(ses.accepted).toEqual([]);
  });
});

describe('requeueDueMail', () => {
  it('leaves a retry whose message moved on (queued by hand, removed by a merge) and drops it', async () => {
    ses.answer(sesError('InternalFailure'));
    await send();
    outbox.messages.delete('case-1/m-out');
    clock.advance(minutes(1));

    expect(await requeue()).toBe(0);
    expect(outbox.retries).toEqual([]);
  });
});
