import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiUrl, call, newCaseBody, uniqueEmail } from '../support/api-client.js';

/**
 * The contact-flow functions as a flow's "Invoke AWS Lambda function" block runs them, through the
 * local runtime's `POST /local/connect/{function}` (the contact flow event in, the function's map
 * out), against the cases the API writes.
 */

const fixtureEvent = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../fixtures/connect/contact-flow-event.json'), 'utf8'),
) as Record<string, any>;

/** A Polish mobile number no other test uses: `+48 53x xxx xxx`. */
function uniquePhone(): string {
  return `+4853${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/** The documented event with this caller, contact and flow parameters. */
function contactFlowEvent(options: { caller: string; contactId?: string; parameters?: Record<string, string> }): Record<string, any> {
  const event = structuredClone(fixtureEvent);
  const contactId = options.contactId ?? randomUUID();
  event.Details.ContactData.ContactId = contactId;
  event.Details.ContactData.InitialContactId = contactId;
  event.Details.ContactData.PreviousContactId = contactId;
  event.Details.ContactData.CustomerEndpoint.Address = options.caller;
  event.Details.Parameters = options.parameters ?? { reason: 'Where is my order?' };
  return event;
}

async function invoke(
  fn: 'customer-lookup' | 'open-or-link-case',
  event: unknown,
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${apiUrl()}/local/connect/${fn}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(event),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text so the assertion shows it
  }
  return { status: response.status, body: body as Record<string, string> };
}

/** A customer with an email and this phone, and their case in a queue, opened over the API. */
async function customerWithCase(phone: string, queue = 'stores') {
  const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 6)} ${phone.slice(6, 9)} ${phone.slice(9)}`;
  const response = await call('POST', '/cases', {
    body: newCaseBody({
      channel: 'phone',
      queue,
      language: 'pl',
      customer: { email: uniqueEmail('caller'), phone: spaced, name: 'Ewa Testowa' },
    }),
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; number: string; customerId: string };
}

describe('contact flow: customer-lookup', () => {
  it('finds the customer behind the caller’s number, with their open case and its queue', async () => {
    const phone = uniquePhone();
    const created = await customerWithCase(phone, 'stores');

    const lookup = await invoke('customer-lookup', contactFlowEvent({ caller: phone }));

    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual({
      status: 'ok',
      found: 'true',
      customerId: created.customerId,
      customerName: 'Ewa Testowa',
      preferredLanguage: 'pl',
      tier: 'standard',
      openCaseCount: '1',
      latestCaseNumber: created.number,
      latestCaseStatus: 'new',
      suggestedQueue: 'stores',
    });
  });

  it('answers an unknown or withheld number as not found', async () => {
    const unknown = await invoke('customer-lookup', contactFlowEvent({ caller: uniquePhone() }));
    const withheld = await invoke('customer-lookup', contactFlowEvent({ caller: 'anonymous' }));

    for (const answer of [unknown, withheld]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'ok', found: 'false', customerId: '', suggestedQueue: '' });
    }
  });
});

describe('contact flow: open-or-link-case', () => {
  it('links calls to the caller’s open case, once per ContactId', async () => {
    const phone = uniquePhone();
    const created = await customerWithCase(phone);
    const first = contactFlowEvent({ caller: phone });

    const linked = await invoke('open-or-link-case', first);
    const retried = await invoke('open-or-link-case', first);
    const second = contactFlowEvent({ caller: phone });
    const nextCall = await invoke('open-or-link-case', second);

    const expected = { status: 'ok', caseId: created.id, caseNumber: created.number, linked: 'true', customerId: created.customerId };
    expect(linked).toEqual({ status: 200, body: expected });
    expect(retried).toEqual({ status: 200, body: expected });
    expect(nextCall).toEqual({ status: 200, body: expected });
    const timeline = await call('GET', `/cases/${created.id}/timeline?limit=100`);
    const links = timeline.body.items.filter((entry: { action: string }) => entry.action === 'call.linked');
    expect(links.map((entry: { data: { contactId: string } }) => entry.data.contactId)).toEqual([
      first.Details.ContactData.ContactId,
      second.Details.ContactData.ContactId,
    ]);
    expect(links[0].data).toMatchObject({ channel: 'VOICE', queueName: 'Customers PL' });
  });

  it('opens a phone case and a customer for an unknown number, and answers a retry with the same case', async () => {
    const phone = uniquePhone();
    const event = contactFlowEvent({
      caller: phone,
      parameters: { reason: 'Wo ist meine Bestellung?', queue: 'customers', language: 'de-DE' },
    });

    const opened = await invoke('open-or-link-case', event);
    const retried = await invoke('open-or-link-case', event);

    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ status: 'ok', linked: 'false' });
    expect(retried.body).toEqual(opened.body);
    const created = await call('GET', `/cases/${opened.body.caseId}`);
    expect(created.body).toMatchObject({
      number: opened.body.caseNumber,
      channel: 'phone',
      queue: 'customers',
      language: 'de',
      createdBy: 'connect',
      customerId: opened.body.customerId,
      customFields: { connectContactId: event.Details.ContactData.ContactId },
    });
    const customer = await call('GET', `/customers?phone=${encodeURIComponent(phone)}`);
    expect(customer.body.id).toBe(opened.body.customerId);
    const timeline = await call('GET', `/cases/${opened.body.caseId}/timeline`);
    expect(timeline.body.items.map((entry: { action: string }) => entry.action)).toEqual(['case.created', 'call.started']);
    const lookup = await invoke('customer-lookup', contactFlowEvent({ caller: phone }));
    expect(lookup.body).toMatchObject({
      found: 'true',
      customerId: opened.body.customerId,
      openCaseCount: '1',
      latestCaseNumber: opened.body.caseNumber,
    });
  });

  it('answers the error map for a withheld number', async () => {
    const answer = await invoke('open-or-link-case', contactFlowEvent({ caller: 'anonymous' }));

    expect(answer).toEqual({ status: 200, body: { status: 'error', reason: 'caller number withheld' } });
  });
});
