import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_REASON_CHARS, parseCallCaseParameters, parseContactFlowEvent } from '#telephony/adapters/connect/contact-flow-event';
import { ValidationError } from '#platform/domain/errors';

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/connect', name), 'utf8')) as Record<string, any>;

/** The error the parser throws for a value, so a test can look at its fields. */
function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseContactFlowEvent', () => {
  it('reads the documented event: contact, caller and dialled numbers, queue, attributes and parameters', () => {
    const request = parseContactFlowEvent(fixture('contact-flow-event.json'));

    expect(request).toEqual({
      contact: {
        contactId: '4a573372-1f28-4e26-b97b-1a2b3c4d5e6f',
        initialContactId: '4a573372-1f28-4e26-b97b-1a2b3c4d5e6f',
        channel: 'VOICE',
        initiationMethod: 'INBOUND',
        queueName: 'Customers PL',
      },
      callerAddress: '+48601234567',
      dialledAddress: '+48223456789',
      instanceArn: 'arn:aws:connect:eu-central-1:111111111111:instance/c8c0e68d-2200-4265-82c0-0a1b2c3d4e5f',
      attributes: { language: 'pl-PL' },
      parameters: { reason: 'Where is my order?', language: 'pl-PL' },
    });
  });

  it('keeps a withheld address as given (the use cases decide it is withheld) and a null queue as null', () => {
    const request = parseContactFlowEvent(fixture('contact-flow-event-withheld.json'));

    expect(request.callerAddress).toBe('anonymous');
    expect(request.contact.queueName).toBeNull();
  });

  it('reads an unknown caller like any other', () => {
    const request = parseContactFlowEvent(fixture('contact-flow-event-unknown-number.json'));

    expect(request.callerAddress).toBe('+4930123456789');
    expect(request.parameters).toEqual({ reason: 'Wo ist meine Bestellung?', queue: 'customers', language: 'de' });
  });

  it('takes a contact without endpoints (a chat started by API) with no caller number', () => {
    const request = parseContactFlowEvent(fixture('contact-flow-event-chat.json'));

    expect(request.callerAddress).toBeNull();
    expect(request.dialledAddress).toBeNull();
    expect(request.contact.channel).toBe('CHAT');
  });

  it('takes only a telephone number as the caller: an email contact has none', () => {
    const event = fixture('contact-flow-event.json');
    event.Details.ContactData.Channel = 'EMAIL';
    event.Details.ContactData.CustomerEndpoint = { Address: 'anna@example.pl', Type: 'EMAIL_ADDRESS' };

    expect(parseContactFlowEvent(event).callerAddress).toBeNull();
  });

  it('treats a missing InitialContactId as the contact itself, and drops non-string parameters and attributes', () => {
    const event = fixture('contact-flow-event.json');
    delete event.Details.ContactData.InitialContactId;
    event.Details.Parameters = { reason: 'Returns', retries: 3 };
    event.Details.ContactData.Attributes = { a: 'b', nested: { c: 1 } };

    const request = parseContactFlowEvent(event);

    expect(request.contact.initialContactId).toBe('4a573372-1f28-4e26-b97b-1a2b3c4d5e6f');
    expect(request.parameters).toEqual({ reason: 'Returns' });
    expect(request.attributes).toEqual({ a: 'b' });
  });

  it('refuses what is not a contact flow event, naming each bad field by its path', () => {
    const missingContactId = fixture('contact-flow-event.json');
    delete missingContactId.Details.ContactData.ContactId;
    const wrongName = { ...fixture('contact-flow-event.json'), Name: 'ContactFlowExecution' };
    const numberAddress = fixture('contact-flow-event.json');
    numberAddress.Details.ContactData.CustomerEndpoint.Address = 48601234567;

    expect(refusal(() => parseContactFlowEvent(missingContactId)).fields.map((field) => field.path)).toEqual([
      'Details.ContactData.ContactId',
    ]);
    expect(refusal(() => parseContactFlowEvent(wrongName)).fields.map((field) => field.path)).toEqual(['Name']);
    expect(refusal(() => parseContactFlowEvent(numberAddress)).fields.map((field) => field.path)).toEqual([
      'Details.ContactData.CustomerEndpoint.Address',
    ]);
    expect(refusal(() => parseContactFlowEvent(null)).fields.map((field) => field.path)).toEqual(['(the event)']);
    expect(refusal(() => parseContactFlowEvent({ Name: 'ContactFlowEvent' })).fields.map((field) => field.path)).toEqual(['Details']);
    expect(() => parseContactFlowEvent('{"Name":"ContactFlowEvent"}')).toThrow(ValidationError);
  });
});

describe('parseCallCaseParameters', () => {
  it('reads reason, queue and the primary language subtag, lower-cased', () => {
    expect(parseCallCaseParameters({ reason: '  Returns ', queue: 'stores', language: 'DE_de' })).toEqual({
      reason: 'Returns',
      queue: 'stores',
      language: 'de',
    });
    expect(parseCallCaseParameters({ reason: 'Returns', language: 'en-US' }).language).toBe('en');
  });

  it('counts empty queue and language (attributes the flow never set) as absent', () => {
    expect(parseCallCaseParameters({ reason: 'Returns', queue: '', language: ' ' })).toEqual({
      reason: 'Returns',
      queue: undefined,
      language: undefined,
    });
  });

  it('refuses a missing or overlong reason and a language that is not a tag', () => {
    expect(refusal(() => parseCallCaseParameters({})).fields).toEqual([
      { path: 'Details.Parameters.reason', message: 'required: why the customer calls' },
    ]);
    expect(refusal(() => parseCallCaseParameters({ reason: 'x'.repeat(MAX_REASON_CHARS + 1) })).fields[0]?.path).toBe(
      'Details.Parameters.reason',
    );
    expect(refusal(() => parseCallCaseParameters({ reason: 'Returns', language: 'Polish!' })).fields[0]?.path).toBe(
      'Details.Parameters.language',
    );
  });
});
