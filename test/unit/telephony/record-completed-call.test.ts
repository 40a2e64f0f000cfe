import { describe, expect, it } from 'vitest';
import { handleContactEvent } from '#telephony/use-cases/handle-contact-event';
import { aCase } from '../../support/builders.js';
import { AGENT_ARN, aCallback, aCallbackAgent, aContactEvent, aCustomer, callbackDeps } from '../../support/callback-fakes.js';

/** A completed inbound call: 2 min in queue, 10 min with the agent, with a recording. */
const completed = (overrides: Parameters<typeof aContactEvent>[0] = {}) =>
  aContactEvent({
    initiationAt: '2026-11-23T08:40:00.000Z',
    queue: {
      arn: 'arn:aws:connect:eu-central-1:111122223333:instance/i/queue/0a1b2c3d-0000-4000-8000-00000000c001',
      connectQueueId: '0a1b2c3d-0000-4000-8000-00000000c001',
      enqueuedAt: '2026-11-23T08:41:00.000Z',
    },
    agent: { arn: AGENT_ARN, connectedAt: '2026-11-23T08:43:00.000Z' },
    disconnectAt: '2026-11-23T08:53:00.000Z',
    recordings: [
      {
        location: 'bucket/recording.wav',
        status: 'AVAILABLE',
        mediaStreamType: 'AUDIO',
        participantType: 'All',
        startedAt: null,
        stoppedAt: null,
      },
    ],
    ...overrides,
  });

describe('a completed call (handleContactEvent → recordCompletedCall)', () => {
  it('goes on the case the flow linked, with our agent (by Connect ARN), the queue, the durations and the recording', async () => {
    const { deps, store, staff, seedCase, timelineOf } = callbackDeps();
    seedCase(aCase({ status: 'open' }));
    store.linkedContacts.set('contact-1', { caseId: 'case-1', customerId: 'customer-1' });
    staff.agents = [aCallbackAgent('anna.nowak', { connectAgentArn: AGENT_ARN })];

    const outcome = await handleContactEvent(deps, { event: completed() });

    expect(outcome).toMatchObject({
      handledAs: 'completed_call',
      result: { outcome: 'recorded', caseId: 'case-1', agentId: 'anna.nowak' },
    });
    const entry = timelineOf('case-1').find((candidate) => candidate.action === 'call.completed');
    expect(entry?.actor).toEqual({ kind: 'system', id: 'connect' });
    expect(entry?.data).toMatchObject({
      contactId: 'contact-1',
      agentId: 'anna.nowak',
      agentArn: AGENT_ARN,
      queue: 'customers',
      inQueueSeconds: 120,
      withAgentSeconds: 600,
      totalSeconds: 780,
      recording: { location: 'bucket/recording.wav' },
    });
  });

  it('keeps the agent ARN when no member of staff has it yet (mapping it otherwise needs a Connect API call)', async () => {
    const { deps, store, seedCase, timelineOf } = callbackDeps();
    seedCase(aCase({ status: 'open' }));
    store.linkedContacts.set('contact-1', { caseId: 'case-1', customerId: 'customer-1' });

    await handleContactEvent(deps, { event: completed() });

    expect(timelineOf('case-1').at(-1)?.data).toMatchObject({ agentId: null, agentArn: AGENT_ARN });
  });

  it('finds the case of a transferred contact through the contact it came from', async () => {
    const { deps, store, seedCase, actionsOf } = callbackDeps();
    seedCase(aCase({ status: 'open' }));
    store.linkedContacts.set('first-leg', { caseId: 'case-1', customerId: 'customer-1' });

    await handleContactEvent(deps, {
      event: completed({ contactId: 'second-leg', initialContactId: 'first-leg', initiationMethod: 'TRANSFER' }),
    });

    expect(actionsOf('case-1')).toEqual(['call.completed']);
  });

  it('goes on the caller’s open case when no flow linked the contact', async () => {
    const { deps, seedCustomer, actionsOf } = callbackDeps();
    seedCustomer(aCustomer(), aCase({ id: 'case-3', number: 'CS-000003', status: 'open' }));

    await handleContactEvent(deps, { event: completed() });

    expect(actionsOf('case-3')).toEqual(['call.completed']);
  });

  it('is recorded as handled on no case when there is none, and says so', async () => {
    const { deps, store } = callbackDeps();

    const outcome = await handleContactEvent(deps, { event: completed() });

    expect(outcome).toMatchObject({ result: { outcome: 'no_case', caseId: null } });
    expect(store.handled.get('contact-1#DISCONNECTED')?.outcome).toBe('completed_call_no_case');
  });

  it('adds nothing when the event is delivered again', async () => {
    const { deps, store, seedCase, actionsOf } = callbackDeps();
    seedCase(aCase({ status: 'open' }));
    store.linkedContacts.set('contact-1', { caseId: 'case-1', customerId: 'customer-1' });
    await handleContactEvent(deps, { event: completed() });

    const again = await handleContactEvent(deps, { event: completed({ eventId: 'event-1-redelivered' }) });

    expect(again).toEqual({ handledAs: 'duplicate' });
    expect(actionsOf('case-1')).toEqual(['call.completed']);
  });

  it('cancels the caller’s open callback: they reached an agent themselves', async () => {
    const { deps, seedCustomer, seedCallback, store, actionsOf } = callbackDeps();
    seedCustomer(aCustomer(), aCase({ status: 'open' }));
    seedCallback();

    const outcome = await handleContactEvent(deps, { event: completed({ contactId: 'contact-9' }) });

    expect(outcome).toMatchObject({ result: { cancelledCallbackId: 'callback-1' } });
    expect(store.callbacks.get('callback-1')).toMatchObject({
      status: 'cancelled',
      nextAttemptAt: null,
      endReason: 'customer_reached_agent: the customer reached an agent on contact contact-9',
    });
    expect(store.guards.has(aCallback().phone)).toBe(false);
    expect(actionsOf('case-1')).toEqual(['call.completed', 'callback.cancelled']);
  });

  it('leaves a callback being dialled to its own outcome', async () => {
    const { deps, seedCustomer, seedCallback, store } = callbackDeps();
    seedCustomer(aCustomer(), aCase({ status: 'open' }));
    seedCallback(aCallback({ status: 'dialling' }));

    await handleContactEvent(deps, { event: completed({ contactId: 'contact-9' }) });

    expect(store.callbacks.get('callback-1')?.status).toBe('dialling');
  });

  it('ignores an inbound call reaching an agent (recorded when it ends), a chat, and an agent’s unanswered outbound call', async () => {
    const { deps, store } = callbackDeps();

    const connected = await handleContactEvent(deps, { event: completed({ eventType: 'CONNECTED_TO_AGENT' }) });
    const chat = await handleContactEvent(deps, { event: completed({ channel: 'CHAT' }) });
    const outbound = await handleContactEvent(deps, { event: aContactEvent({ initiationMethod: 'OUTBOUND' }) });

    expect([connected, chat, outbound].map((outcome) => outcome.handledAs)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(store.handled.size).toBe(0);
  });
});
