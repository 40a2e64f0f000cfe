import { describe, expect, it } from 'vitest';
import { ContentionError, ForbiddenError, ValidationError } from '#platform/domain/errors';
import { openCase } from '#cases/use-cases/open-case';
import { agentActor, memoryDeps, openCaseInput, supervisorActor } from '../../support/builders.js';

describe('openCase', () => {
  it('creates the customer from the email and numbers the case from 1', async () => {
    const deps = memoryDeps();

    const created = await openCase(deps, openCaseInput(), agentActor);

    expect(created).toMatchObject({ number: 'CS-000001', status: 'new', priority: 'normal', queue: 'customers', version: 1 });
    expect(created.customer).toMatchObject({ name: 'Anna Kowalska', email: 'anna.kowalska@example.pl', tier: 'standard' });
    expect(deps.db.customers.get(created.customerId)?.identities).toEqual([{ type: 'email', value: 'anna.kowalska@example.pl' }]);
    expect(deps.db.timeline.get(created.id)?.map((entry) => entry.action)).toEqual(['case.created']);
  });

  it('finds a returning customer by email however it is spelled', async () => {
    const deps = memoryDeps();
    const first = await openCase(deps, openCaseInput(), agentActor);

    const second = await openCase(deps, openCaseInput({ customer: { email: ' ANNA.kowalska@example.pl' } }), agentActor);

    expect(second.customerId).toBe(first.customerId);
    expect(second.number).toBe('CS-000002');
    expect(deps.db.customers.size).toBe(1);
  });

  it('adds a new phone to the customer who owns the email when a supervisor vouches for it (verified)', async () => {
    const deps = memoryDeps();
    const first = await openCase(deps, openCaseInput(), agentActor);

    const linked = await openCase(
      deps,
      openCaseInput({ customer: { email: 'anna.kowalska@example.pl', phone: '+48 601 234 567', verified: true } }),
      supervisorActor,
    );

    expect(linked.customerId).toBe(first.customerId);
    expect(deps.db.customers.get(first.customerId)?.identities).toContainEqual({ type: 'phone', value: '+48601234567' });
    expect(deps.db.ownerByIdentity.get('phone:+48601234567')).toBe(first.customerId);
  });

  it('gives an unverified new identity a customer of its own, flagged as a possible duplicate (both directions)', async () => {
    const deps = memoryDeps();
    const anna = await openCase(deps, openCaseInput(), agentActor);

    const byEmail = await openCase(
      deps,
      openCaseInput({ customer: { email: 'anna.kowalska@example.pl', phone: '+48601234567' } }),
      agentActor,
    );
    expect(byEmail.customerId).not.toBe(anna.customerId);
    expect(deps.db.customers.get(byEmail.customerId)).toMatchObject({
      identities: [{ type: 'phone', value: '+48601234567' }],
      possibleDuplicateOf: anna.customerId,
    });
    expect(deps.db.customers.get(anna.customerId)?.identities).toEqual([{ type: 'email', value: 'anna.kowalska@example.pl' }]);

    // The reverse: a known phone and a new email, vouched for by no one.
    const byPhone = await openCase(
      deps,
      openCaseInput({ customer: { email: 'someone.else@example.com', phone: '+48601234567' } }),
      supervisorActor,
    );
    expect(deps.db.customers.get(byPhone.customerId)).toMatchObject({
      identities: [{ type: 'email', value: 'someone.else@example.com' }],
      possibleDuplicateOf: byEmail.customerId,
    });
    expect(deps.db.ownerByIdentity.get('email:someone.else@example.com')).toBe(byPhone.customerId);
  });

  it('refuses `verified` from an agent, opening nothing', async () => {
    const deps = memoryDeps();
    await openCase(deps, openCaseInput(), agentActor);
    const vouched = openCaseInput({ customer: { email: 'anna.kowalska@example.pl', phone: '+48601234567', verified: true } });
    await expect(openCase(deps, vouched, agentActor)).rejects.toThrow(ForbiddenError);
    expect(deps.db.cases.size).toBe(1);
    expect(deps.db.ownerByIdentity.has('phone:+48601234567')).toBe(false);
  });

  it('never moves an identity that belongs to another customer', async () => {
    const deps = memoryDeps();
    const anna = await openCase(deps, openCaseInput(), agentActor);
    const jan = await openCase(deps, openCaseInput({ customer: { phone: '+48601234567', name: 'Jan' } }), agentActor);

    const mixed = await openCase(
      deps,
      openCaseInput({ customer: { email: 'anna.kowalska@example.pl', phone: '+48601234567' } }),
      agentActor,
    );

    expect(mixed.customerId).toBe(anna.customerId);
    expect(deps.db.ownerByIdentity.get('phone:+48601234567')).toBe(jan.customerId);
    expect(deps.db.customers.get(anna.customerId)?.identities).toHaveLength(1);
  });

  it('keeps priority, queue, language, tags and custom fields as given', async () => {
    const deps = memoryDeps();

    const created = await openCase(
      deps,
      openCaseInput({
        priority: 'urgent',
        queue: 'marketplace',
        language: 'de',
        category: 'privacy',
        tags: ['gdpr', ' gdpr ', 'erasure'],
        customFields: { orderId: 'A-17', amount: 129.99 },
      }),
      agentActor,
    );

    expect(created).toMatchObject({ priority: 'urgent', queue: 'marketplace', language: 'de', category: 'privacy' });
    expect(created.tags).toEqual(['gdpr', 'erasure']);
    expect(created.customFields).toEqual({ orderId: 'A-17', amount: 129.99 });
  });

  it('refuses a case with neither email nor phone, or for a queue that does not exist', async () => {
    const deps = memoryDeps();

    await expect(openCase(deps, openCaseInput({ customer: { name: 'Nobody' } }), agentActor)).rejects.toThrow(ValidationError);
    await expect(openCase(deps, openCaseInput({ queue: 'nowhere' }), agentActor)).rejects.toThrow(ValidationError);
    await expect(openCase(deps, openCaseInput({ customFields: { connectCallInProgress: true } }), agentActor)).rejects.toThrow(
      ValidationError,
    );
    await expect(openCase(deps, openCaseInput({ customFields: { connectContactId: 'c-1' } }), agentActor)).rejects.toThrow(ValidationError);
    expect(deps.db.cases.size).toBe(0);
  });

  it('reads at most twice and writes once for a returning customer', async () => {
    const deps = memoryDeps();
    await openCase(deps, openCaseInput(), agentActor);
    deps.db.calls.reads = 0;
    deps.db.calls.writes = 0;

    await openCase(deps, openCaseInput(), agentActor);

    expect(deps.db.calls).toEqual({ reads: 2, writes: 1 });
  });

  it('takes the next number when another case took its number between read and commit', async () => {
    const deps = memoryDeps();
    let rivals = 1;
    deps.db.beforeCommit = () => {
      if (rivals-- > 0) deps.db.lastSequence += 1;
    };

    const created = await openCase(deps, openCaseInput(), agentActor);

    expect(created.number).toBe('CS-000002');
  });

  it('gives up with a retryable error when it loses every race', async () => {
    const deps = memoryDeps();
    deps.db.beforeCommit = () => {
      deps.db.lastSequence += 1;
    };

    await expect(openCase(deps, openCaseInput(), agentActor)).rejects.toThrow(ContentionError);
    expect(deps.db.cases.size).toBe(0);
  });
});
