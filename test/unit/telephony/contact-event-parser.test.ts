import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContactEvent } from '#telephony/adapters/connect/contact-event';
import { callDurations, classifyContactEvent, type ContactEvent } from '#telephony/domain/contact-event';
import { ValidationError } from '#platform/domain/errors';

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/connect/${name}`, import.meta.url), 'utf8'));

function parsed(value: unknown): ContactEvent {
  const result = parseContactEvent(value);
  if (result.kind !== 'event') throw new Error(`expected an event, got: ${result.reason}`);
  return result.event;
}

function refusal(value: unknown): ValidationError {
  try {
    parseContactEvent(value);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseContactEvent with the guide’s samples', () => {
  it('reads the "connected to an agent" sample: contact, agent, queue with its id and enqueue time, event time', () => {
    const event = parsed(fixture('contact-event-connected-to-agent.json'));

    expect(event).toMatchObject({
      eventId: 'abcabcab-abca-abca-abca-abcabcabcabc',
      eventType: 'CONNECTED_TO_AGENT',
      contactId: '11111111-1111-1111-1111-111111111111',
      initialContactId: null,
      channel: 'VOICE',
      initiationMethod: 'INBOUND',
      initiationAt: '2021-08-04T17:17:53.000Z',
      disconnectAt: null,
      agent: {
        arn: 'arn:aws::connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012/agent/12345678-1234-1234-1234-123456789012',
        connectedAt: '2021-08-04T17:29:09.000Z',
      },
      queue: { connectQueueId: '12345678-1234-1234-1234-123456789012', enqueuedAt: '2021-08-04T17:29:04.000Z' },
      customerAddress: null,
      attributes: {},
      recordings: [],
      at: '2021-08-04T17:43:48.000Z',
    });
    expect(classifyContactEvent(event)).toBe('connected_to_agent');
  });

  it('reads the "disconnected" sample: "Voice" upper-cased, an OUTBOUND call without queueInfo, its agent', () => {
    const event = parsed(fixture('contact-event-disconnected-outbound.json'));

    expect(event).toMatchObject({
      eventType: 'DISCONNECTED',
      channel: 'VOICE',
      initiationMethod: 'OUTBOUND',
      initialContactId: '11111111-2222-3333-4444-555555555555',
      previousContactId: '11111111-2222-3333-4444-555555555555',
      disconnectAt: '2021-08-04T17:18:37.000Z',
      queue: null,
      agent: { arn: 'arn', connectedAt: '2021-08-04T17:29:09.000Z' },
    });
    expect(classifyContactEvent(event)).toBe('completed_call');
  });

  it('reads PascalCase keys as the camelCase ones (the earlier sample’s AgentInfo.AgentArn, the routing-criteria sample)', () => {
    const legacy = parsed(fixture('contact-event-disconnected-legacy.json'));
    const routing = parsed(fixture('contact-event-connected-routing-criteria.json'));

    expect(legacy.agent).toEqual({ arn: 'arn', connectedAt: '2021-08-04T17:29:09.000Z' });
    expect(legacy.queue).toEqual({ arn: 'arn', connectQueueId: null, enqueuedAt: '2021-08-04T17:29:04.000Z' });
    expect(routing).toMatchObject({
      contactId: '12345678-1234-1234-1234-123456789012',
      eventType: 'CONNECTED_TO_AGENT',
      initiationMethod: 'INBOUND',
      agent: { connectedAt: '2021-08-04T17:29:09.000Z' },
      queue: { connectQueueId: '12345678-1234-1234-1234-123456789012', enqueuedAt: '2021-08-04T17:29:04.000Z' },
    });
  });

  it('reads the chat sample’s 1970 placeholder timestamps as none, and leaves a chat alone', () => {
    const event = parsed(fixture('contact-event-data-updated-chat.json'));

    expect(event.channel).toBe('CHAT');
    expect(event.agent?.connectedAt).toBeNull();
    expect(classifyContactEvent(event)).toBe('irrelevant');
  });
});

describe('parseContactEvent with Switchboard’s call scenarios', () => {
  it('reads a completed inbound call: the customer’s number, the disconnect reason, the recording; 90 s in queue, 635 s with the agent, 760 s in all', () => {
    const event = parsed(fixture('contact-event-disconnected-inbound-completed.json'));

    expect(event.customerAddress).toBe('+48601234567');
    expect(event.disconnectReason).toBe('CUSTOMER_DISCONNECT');
    expect(event.recordings).toEqual([
      {
        location:
          'switchboard-connect-recordings/connect/switchboard/CallRecordings/2026/11/23/c0ffee00-0000-4000-8000-000000000101_20261123T09:02_UTC.wav',
        status: 'AVAILABLE',
        mediaStreamType: 'AUDIO',
        participantType: 'All',
        startedAt: '2026-11-23T09:02:05.000Z',
        stoppedAt: '2026-11-23T09:12:40.000Z',
      },
    ]);
    expect(callDurations(event)).toEqual({ inQueueSeconds: 90, withAgentSeconds: 635, totalSeconds: 760 });
    expect(classifyContactEvent(event)).toBe('completed_call');
  });

  it('classifies an inbound call that ended without an agent, in the queue or in the flow, as missed', () => {
    const inQueue = parsed(fixture('contact-event-disconnected-inbound-abandoned.json'));
    const inFlow = parsed(fixture('contact-event-disconnected-inbound-in-flow.json'));

    expect(classifyContactEvent(inQueue)).toBe('missed_call');
    expect(callDurations(inQueue)).toEqual({ inQueueSeconds: 210, withAgentSeconds: null, totalSeconds: 250 });
    expect(classifyContactEvent(inFlow)).toBe('missed_call');
    expect(inFlow).toMatchObject({ queue: null, agent: null, customerAddress: null });
  });

  it('reads a callback contact’s attributes, keys as sent', () => {
    const event = parsed(fixture('contact-event-connected-callback.json'));

    expect(event.initiationMethod).toBe('API');
    expect(event.attributes).toEqual({ caseId: 'case-1', callbackId: 'callback-1', attempt: '1' });
  });

  it('keeps user-defined attribute keys exactly, and drops attribute values that are not text', () => {
    const value = fixture('contact-event-connected-callback.json');
    value.detail.attributes = { CallbackId: 'x', 'Customer-Tier': 'vip', nested: { a: 1 } };

    expect(parsed(value).attributes).toEqual({ CallbackId: 'x', 'Customer-Tier': 'vip' });
  });
});

describe('parseContactEvent refusals', () => {
  it('calls an event of another source or detail type irrelevant, without looking at its detail', () => {
    const scheduled = {
      version: '0',
      id: 'x',
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      time: '2026-11-23T09:00:00Z',
      detail: {},
    };

    expect(parseContactEvent(scheduled)).toEqual({
      kind: 'irrelevant',
      reason: 'not an Amazon Connect contact event (source aws.events, detail-type Scheduled Event)',
    });
  });

  it('refuses a contact event without a contact id or with a bad timestamp, naming the paths', () => {
    const value = fixture('contact-event-connected-to-agent.json');
    delete value.detail.contactId;
    value.detail.agentInfo.connectedToAgentTimestamp = 'yesterday';

    const error = refusal(value);

    expect(error.fields.map((field) => field.path)).toEqual(['detail.contactId', 'detail.agentInfo.connectedToAgentTimestamp']);
  });

  it('refuses what is not an EventBridge event at all', () => {
    expect(refusal('DISCONNECTED').fields[0]?.path).toBe('(the event)');
    expect(refusal({ id: 'x', source: 'aws.connect' }).fields.map((field) => field.path)).toEqual(['detail-type', 'time', 'detail']);
  });
});
