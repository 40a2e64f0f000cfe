import { describe, expect, it } from 'vitest';
import type { Callback, CallbackAttempt } from '#telephony/domain/callback';
import { handleContactEvent } from '#telephony/use-cases/handle-contact-event';
import { aCase } from '../../support/builders.js';
import {
  AGENT_ARN,
  CALLER,
  MINUTE,
  NOW,
  aCallback,
  aCallbackAgent,
  aContactEvent,
  aCustomer,
  callbackDeps,
} from '../../support/callback-fakes.js';

/** An attempt dialled at NOW as contact `outbound-1`, waiting for its outcome. */
const pending = (number: number, contactId: string | null = `outbound-${number}`): CallbackAttempt => ({
  number,
  claimedAt: NOW,
  dialledAt: NOW,
  contactId,
  agentId: 'anna.nowak',
  outcome: 'pending',
  endedAt: null,
  detail: null,
});
const unanswered = (number: number): CallbackAttempt => ({ ...pending(number), outcome: 'no_answer', endedAt: NOW });

const dialling = (attempts: CallbackAttempt[]): Callback =>
  aCallback({ status: 'dialling', attempts, nextAttemptAt: '2026-11-23T10:00:00.000Z' });

/** An event of a callback's outbound contact; `attributes` as the dispatcher set them. */
const outbound = (overrides: Parameters<typeof aContactEvent>[0] = {}) =>
  aContactEvent({
    contactId: 'outbound-1',
    initiationMethod: 'API',
    initiationAt: '2026-11-23T09:00:00.000Z',
    queue: null,
    disconnectAt: '2026-11-23T09:01:00.000Z',
    attributes: { caseId: 'case-1', callbackId: 'callback-1', attempt: '1' },
    ...overrides,
  });

function setUp(callback: Callback) {
  const fakes = callbackDeps();
  fakes.seedCustomer(aCustomer(), aCase({ status: 'open', language: 'pl' }));
  fakes.seedCallback(callback);
  fakes.staff.agents = [aCallbackAgent('anna.nowak', { connectAgentArn: AGENT_ARN })];
  return fakes;
}

describe('a callback’s outcome (handleContactEvent → recordCallbackOutcome)', () => {
  it('reached an agent: the callback is reached, the case says so, the number is free for a new callback', async () => {
    const { deps, store, actionsOf, timelineOf } = setUp(dialling([pending(1)]));

    const outcome = await handleContactEvent(deps, {
      event: outbound({
        eventType: 'CONNECTED_TO_AGENT',
        disconnectAt: null,
        agent: { arn: AGENT_ARN, connectedAt: '2026-11-23T09:00:40.000Z' },
      }),
    });

    expect(outcome).toEqual({ handledAs: 'callback_outcome', result: { outcome: 'reached', callbackId: 'callback-1', caseId: 'case-1' } });
    expect(store.callbacks.get('callback-1')).toMatchObject({ status: 'reached', nextAttemptAt: null, finishedAt: NOW });
    expect(store.callbacks.get('callback-1')?.attempts[0]).toMatchObject({
      outcome: 'reached',
      endedAt: '2026-11-23T09:00:40.000Z',
      detail: 'connected to anna.nowak',
    });
    expect(store.guards.has(CALLER)).toBe(false);
    expect(actionsOf('case-1')).toEqual(['callback.reached']);
    expect(timelineOf('case-1')[0]?.data).toMatchObject({
      callbackId: 'callback-1',
      attempt: 1,
      contactId: 'outbound-1',
      agentId: 'anna.nowak',
    });
    expect(store.stats.get('2026-11-23T09')?.reached).toBe(1);
  });

  it('then the call’s end goes on the timeline as any completed call, and reaches nothing twice', async () => {
    const { deps, store, actionsOf } = setUp(dialling([pending(1)]));
    await handleContactEvent(deps, {
      event: outbound({ eventType: 'CONNECTED_TO_AGENT', agent: { arn: AGENT_ARN, connectedAt: '2026-11-23T09:00:40.000Z' } }),
    });

    const ended = await handleContactEvent(deps, {
      event: outbound({ eventId: 'event-2', agent: { arn: AGENT_ARN, connectedAt: '2026-11-23T09:00:40.000Z' } }),
    });

    expect(ended).toMatchObject({ result: { outcome: 'call_recorded' } });
    expect(actionsOf('case-1')).toEqual(['callback.reached', 'call.completed']);
    expect(store.stats.get('2026-11-23T09')?.reached).toBe(1);
  });

  it('finds the callback by the contact recorded at dialling when the event carries no attributes', async () => {
    const { deps, store } = setUp(dialling([pending(1)]));
    store.dialledContacts.set('outbound-1', { callbackId: 'callback-1', attempt: 1 });

    const outcome = await handleContactEvent(deps, {
      event: outbound({ attributes: {}, agent: { arn: AGENT_ARN, connectedAt: '2026-11-23T09:00:40.000Z' } }),
    });

    expect(outcome).toMatchObject({ handledAs: 'callback_outcome', result: { outcome: 'reached' } });
  });

  it('ended without an agent, with attempts left: open again after the retry delay', async () => {
    const { deps, store, actionsOf } = setUp(dialling([pending(1)]));

    const outcome = await handleContactEvent(deps, { event: outbound() });

    expect(outcome).toMatchObject({ result: { outcome: 'retry_scheduled' } });
    expect(store.callbacks.get('callback-1')).toMatchObject({
      status: 'open',
      nextAttemptAt: new Date(Date.parse(NOW) + 15 * MINUTE).toISOString(),
    });
    expect(store.callbacks.get('callback-1')?.attempts[0]).toMatchObject({ outcome: 'no_answer', detail: 'CUSTOMER_DISCONNECT' });
    expect(store.guards.get(CALLER)).toBe('callback-1');
    expect(actionsOf('case-1')).toEqual(['callback.attempt_failed']);
  });

  it('after the last attempt: failed, a note on the case, and a mail to the customer queued in the outbox', async () => {
    const { deps, store, db, actionsOf } = setUp(dialling([unanswered(1), unanswered(2), pending(3, 'outbound-3')]));

    const outcome = await handleContactEvent(deps, {
      event: outbound({ contactId: 'outbound-3', attributes: { caseId: 'case-1', callbackId: 'callback-1', attempt: '3' } }),
    });

    expect(outcome).toMatchObject({ result: { outcome: 'failed' } });
    expect(store.callbacks.get('callback-1')).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
      endReason: 'not reached in 3 attempt(s); the last: no_answer (CUSTOMER_DISCONNECT)',
    });
    expect(store.guards.has(CALLER)).toBe(false);
    expect(actionsOf('case-1')).toEqual(['callback.failed', 'note.added']);
    const [note] = db.notes.get('case-1') ?? [];
    expect(note).toMatchObject({ authorId: 'callbacks' });
    expect(note?.body).toContain(`Callback to ${CALLER} failed`);
    expect(note?.body).toContain('emailed at anna@example.pl');
    const [mail] = db.messages.get('case-1') ?? [];
    expect(mail).toMatchObject({
      kind: 'notification',
      direction: 'outbound',
      to: ['anna@example.pl'],
      from: 'support@switchboard.local',
      subject: 'Nie udało się do Ciebie oddzwonić [CS-000001]',
      threading: { method: 'notification', confidence: 'high' },
      delivery: { status: 'queued' },
    });
    expect(mail?.text).toContain('[ref:CS-000001:tok0000001]');
    expect(store.stats.get('2026-11-23T09')?.failed).toBe(1);
  });

  it('after the last attempt of a customer without an email address: the note says nobody was told', async () => {
    const { deps, db } = setUp(dialling([unanswered(1), unanswered(2), pending(3, 'outbound-3')]));
    db.customers.set('customer-1', aCustomer({ identities: [{ type: 'phone', value: CALLER }] }));
    db.cases.set(
      'case-1',
      aCase({ status: 'open', customer: { id: 'customer-1', name: null, email: null, phone: CALLER, tier: 'standard' } }),
    );

    await handleContactEvent(deps, {
      event: outbound({ contactId: 'outbound-3', attributes: { callbackId: 'callback-1', attempt: '3' } }),
    });

    expect(db.messages.get('case-1') ?? []).toEqual([]);
    expect(db.notes.get('case-1')?.[0]?.body).toContain('No email address is known');
  });

  it('changes nothing for an attempt already decided (a late event of an earlier attempt)', async () => {
    const { deps, store, actionsOf } = setUp(aCallback({ status: 'open', attempts: [unanswered(1)] }));

    const outcome = await handleContactEvent(deps, { event: outbound() });

    expect(outcome).toMatchObject({ result: { outcome: 'stale' } });
    expect(store.callbacks.get('callback-1')?.version).toBe(1);
    expect(actionsOf('case-1')).toEqual([]);
    expect(store.handled.get('outbound-1#DISCONNECTED')?.outcome).toBe('callback_stale');
  });

  it('changes nothing for a redelivered outcome', async () => {
    const { deps, store, actionsOf } = setUp(dialling([pending(1)]));
    await handleContactEvent(deps, { event: outbound() });

    const again = await handleContactEvent(deps, { event: outbound() });

    expect(again).toEqual({ handledAs: 'duplicate' });
    expect(store.callbacks.get('callback-1')?.attempts).toHaveLength(1);
    expect(actionsOf('case-1')).toEqual(['callback.attempt_failed']);
  });
});
