import { describe, expect, it } from 'vitest';
import type { CaseStatus } from '#cases/domain/case';
import { CallerWithheldError } from '#telephony/domain/caller-withheld-error';
import { ContentionError, ValidationError } from '#platform/domain/errors';
import { openCase } from '#cases/use-cases/open-case';
import { openOrLinkCallCase } from '#telephony/use-cases/open-or-link-call-case';
import { agentActor, openCaseInput } from '../../support/builders.js';
import { callContact, callDeps, callInput } from '../../support/call-builders.js';

type Deps = ReturnType<typeof callDeps>;

/** A case of Anna's (`+48601234567`) opened over the API, then put in a status directly. */
async function annaCase(deps: Deps, queue: string, status: CaseStatus = 'new') {
  const created = await openCase(
    deps,
    openCaseInput({ queue, customer: { email: 'anna@example.pl', phone: '+48601234567', name: 'Anna Kowalska' } }),
    agentActor,
  );
  const stored = deps.db.cases.get(created.id);
  if (stored) stored.status = status;
  return created;
}

const actions = (deps: Deps, caseId: string) => deps.db.timeline.get(caseId)?.map((entry) => entry.action);

describe('openOrLinkCallCase', () => {
  it('opens a phone case for an unknown number, creating the customer with the phone identity', async () => {
    const deps = callDeps();

    const outcome = await openOrLinkCallCase(deps, callInput({ language: 'pl' }));

    expect(outcome).toMatchObject({ caseNumber: 'CS-000001', linked: false, repeated: false });
    const created = deps.db.cases.get(outcome.caseId);
    expect(created).toMatchObject({
      channel: 'phone',
      status: 'new',
      queue: 'customers',
      language: 'pl',
      createdBy: 'connect',
      customerId: outcome.customerId,
      subject: 'Phone call: Where is my order?',
      customFields: { connectContactId: 'contact-1' },
      connectCallInProgress: true,
    });
    expect(created?.customFields).toEqual({ connectContactId: 'contact-1' });
    expect(created?.customer).toMatchObject({ name: null, phone: '+48601234567', email: null });
    expect(deps.db.customers.get(outcome.customerId)).toMatchObject({
      identities: [{ type: 'phone', value: '+48601234567' }],
      preferredLanguage: 'pl',
    });
    expect(actions(deps, outcome.caseId)).toEqual(['case.created', 'call.started']);
    expect(deps.db.timeline.get(outcome.caseId)?.[1]).toMatchObject({
      actor: { kind: 'system', id: 'connect' },
      data: {
        contactId: 'contact-1',
        initialContactId: 'contact-1',
        channel: 'VOICE',
        initiationMethod: 'INBOUND',
        queueName: 'Customers PL',
      },
    });
    expect(deps.calls.contacts.get('contact-1')).toMatchObject({ caseId: outcome.caseId, linked: false });
    expect(deps.calls.requests).toEqual({ reads: 1, writes: 1 });
  });

  it('links the call to the caller’s open case, and holds it out of Switchboard routing while the call lasts when nobody has it', async () => {
    const deps = callDeps();
    const open = await annaCase(deps, 'stores');

    const outcome = await openOrLinkCallCase(deps, callInput({ callerAddress: '+48 601 234 567' }));

    expect(outcome).toEqual({ caseId: open.id, caseNumber: open.number, customerId: open.customerId, linked: true, repeated: false });
    expect(deps.db.cases.size).toBe(1);
    expect(actions(deps, open.id)).toEqual(['case.created', 'call.linked']);
    const linked = deps.db.timeline.get(open.id)?.[1];
    expect(linked?.data).toEqual({
      contactId: 'contact-1',
      initialContactId: 'contact-1',
      channel: 'VOICE',
      initiationMethod: 'INBOUND',
      queueName: 'Customers PL',
      heldFromRouting: true,
    });
    expect(linked?.changes).toEqual([{ field: 'connectCallInProgress', before: false, after: true }]);
    expect(deps.db.cases.get(open.id)).toMatchObject({ version: 2, customFields: {}, connectCallInProgress: true });
    expect(deps.calls.requests.writes).toBe(1);
  });

  it('only links a case an agent has, or one waiting on the customer: it stays as it is', async () => {
    const deps = callDeps();
    const assigned = await annaCase(deps, 'stores', 'open');
    const stored = deps.db.cases.get(assigned.id);
    if (stored) stored.assigneeId = 'anna.nowak';

    const outcome = await openOrLinkCallCase(deps, callInput());

    expect(outcome).toMatchObject({ caseId: assigned.id, linked: true });
    expect(deps.db.cases.get(assigned.id)).toMatchObject({ version: 1, customFields: {} });
    expect(deps.db.timeline.get(assigned.id)?.[1]?.data).not.toHaveProperty('heldFromRouting');
  });

  it('links without holding a case the index keeps showing at an older version (it is being worked on)', async () => {
    const deps = callDeps();
    const open = await annaCase(deps, 'stores');
    const staleIndex = await deps.db.getCustomerWithCases(open.customerId, { limit: 10 });
    const stored = deps.db.cases.get(open.id);
    if (stored) stored.version = 2;
    const stale = { ...deps, customers: { getCustomerWithCases: async () => structuredClone(staleIndex) } };

    const outcome = await openOrLinkCallCase(stale, callInput());

    expect(outcome).toMatchObject({ caseId: open.id, linked: true });
    expect(deps.calls.calls.commitCallLink).toBe(3);
    expect(deps.db.cases.get(open.id)).toMatchObject({ version: 2, customFields: {} });
    expect(actions(deps, open.id)).toEqual(['case.created', 'call.linked']);
  });

  it('links to the newest case that is not resolved, closed or quarantined', async () => {
    const deps = callDeps();
    await annaCase(deps, 'stores', 'open');
    const newestOpen = await annaCase(deps, 'marketplace', 'pending');
    await annaCase(deps, 'customers', 'resolved');
    await annaCase(deps, 'customers', 'quarantined');

    const outcome = await openOrLinkCallCase(deps, callInput());

    expect(outcome).toMatchObject({ caseId: newestOpen.id, linked: true });
  });

  it('opens a new case for a returning caller whose cases are all done, keeping the customer', async () => {
    const deps = callDeps();
    const done = await annaCase(deps, 'stores', 'closed');

    const outcome = await openOrLinkCallCase(deps, callInput({ queue: 'stores' }));

    expect(outcome).toMatchObject({ customerId: done.customerId, linked: false, caseNumber: 'CS-000002' });
    expect(deps.db.customers.size).toBe(1);
    expect(deps.db.cases.get(outcome.caseId)?.customer).toMatchObject({
      name: 'Anna Kowalska',
      email: 'anna@example.pl',
      phone: '+48601234567',
    });
    expect(deps.db.cases.get(outcome.caseId)?.queue).toBe('stores');
  });

  it('answers a repeated invocation for the same contact with the same case and writes nothing', async () => {
    const deps = callDeps();
    const first = await openOrLinkCallCase(deps, callInput());
    const writes = deps.calls.requests.writes;

    const again = await openOrLinkCallCase(deps, callInput({ reason: 'something else', queue: 'stores' }));

    expect(again).toEqual({ ...first, repeated: true });
    expect(deps.db.cases.size).toBe(1);
    expect(actions(deps, first.caseId)).toEqual(['case.created', 'call.started']);
    expect(deps.calls.requests.writes).toBe(writes);
  });

  it('answers a repeated link the same, and links a new contact of the same caller to the case the first one opened', async () => {
    const deps = callDeps();
    const opened = await openOrLinkCallCase(deps, callInput());
    const linked = await openOrLinkCallCase(deps, callInput({ contact: callContact({ contactId: 'contact-2' }) }));

    const linkedAgain = await openOrLinkCallCase(deps, callInput({ contact: callContact({ contactId: 'contact-2' }) }));

    expect(linked).toMatchObject({ caseId: opened.caseId, linked: true, repeated: false });
    expect(linkedAgain).toEqual({ ...linked, repeated: true });
    expect(actions(deps, opened.caseId)).toEqual(['case.created', 'call.started', 'call.linked']);
  });

  it('answers what a rival invocation for the same contact committed first', async () => {
    const deps = callDeps();
    deps.calls.beforeCommit = () => {
      deps.calls.beforeCommit = null;
      deps.calls.contacts.set('contact-1', {
        contactId: 'contact-1',
        caseId: 'rival-case',
        caseNumber: 'CS-000009',
        customerId: 'rival-customer',
        linked: false,
        at: '2026-11-23T09:00:00.000Z',
      });
    };

    const outcome = await openOrLinkCallCase(deps, callInput());

    expect(outcome).toEqual({ caseId: 'rival-case', caseNumber: 'CS-000009', customerId: 'rival-customer', linked: false, repeated: true });
    expect(deps.db.cases.size).toBe(0);
  });

  it('does not link to a case that closed after it was read, even when the index still shows it open', async () => {
    const deps = callDeps();
    const open = await annaCase(deps, 'stores');
    const staleIndex = await deps.db.getCustomerWithCases(open.customerId, { limit: 10 });
    const stored = deps.db.cases.get(open.id);
    if (stored) Object.assign(stored, { status: 'closed', version: stored.version + 1 });
    const stale = { ...deps, customers: { getCustomerWithCases: async () => structuredClone(staleIndex) } };

    const outcome = await openOrLinkCallCase(stale, callInput());

    expect(outcome).toMatchObject({ linked: false, customerId: open.customerId, caseNumber: 'CS-000002' });
    expect(actions(deps, open.id)).toEqual(['case.created']);
  });

  it('refuses a withheld number before reading anything', async () => {
    const deps = callDeps();

    await expect(openOrLinkCallCase(deps, callInput({ callerAddress: 'anonymous' }))).rejects.toThrow(CallerWithheldError);
    await expect(openOrLinkCallCase(deps, callInput({ callerAddress: null }))).rejects.toThrow('caller number withheld');
    expect(deps.calls.calls.readCallIntake).toBe(0);
  });

  it('refuses an unknown queue and an empty reason', async () => {
    const deps = callDeps();

    await expect(openOrLinkCallCase(deps, callInput({ queue: 'nowhere' }))).rejects.toThrow(ValidationError);
    await expect(openOrLinkCallCase(deps, callInput({ reason: '  ' }))).rejects.toThrow(ValidationError);
    expect(deps.db.cases.size).toBe(0);
  });

  it('gives up with a contention error when every commit loses its race', async () => {
    const deps = callDeps();
    deps.calls.beforeCommit = () => {
      deps.db.lastSequence += 1;
    };

    await expect(openOrLinkCallCase(deps, callInput())).rejects.toThrow(ContentionError);
    expect(deps.db.cases.size).toBe(0);
    expect(deps.calls.contacts.size).toBe(0);
  });

  it('links with one intake read, the customer’s cases and one write; a new caller needs no customer read', async () => {
    const deps = callDeps();
    await annaCase(deps, 'stores');
    deps.db.calls.reads = 0;
    deps.db.calls.writes = 0;

    await openOrLinkCallCase(deps, callInput());

    expect(deps.calls.calls).toEqual({ findCallerByPhone: 0, readCallIntake: 1, commitCallCase: 0, commitCallLink: 1 });
    // getCustomerWithCases: the profile and the cases (one Query of GSI1 in DynamoDB); no case write.
    expect(deps.db.calls).toEqual({ reads: 2, writes: 0 });

    deps.db.calls.reads = 0;
    await openOrLinkCallCase(deps, callInput({ callerAddress: '+4930123456789', contact: callContact({ contactId: 'contact-2' }) }));

    expect(deps.calls.calls).toMatchObject({ readCallIntake: 2, commitCallCase: 1 });
    expect(deps.db.calls.reads).toBe(0);
  });
});
