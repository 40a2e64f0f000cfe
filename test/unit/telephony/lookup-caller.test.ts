import { describe, expect, it } from 'vitest';
import { CALLER_CASES_READ, lookupCaller } from '#telephony/use-cases/lookup-caller';
import { openCase } from '#cases/use-cases/open-case';
import type { CaseStatus } from '#cases/domain/case';
import { agentActor, openCaseInput } from '../../support/builders.js';
import { callDeps } from '../../support/call-builders.js';

type Deps = ReturnType<typeof callDeps>;

/** Opens a case for the caller of `+48601234567` (Anna) in a queue, then sets its status directly. */
async function annaCase(deps: Deps, queue: string, status: CaseStatus = 'new') {
  const created = await openCase(
    deps,
    openCaseInput({ channel: 'phone', queue, customer: { phone: '+48 601 234 567', name: 'Anna Kowalska' }, language: 'pl' }),
    agentActor,
  );
  const stored = deps.db.cases.get(created.id);
  if (stored) stored.status = status;
  return created;
}

/** Resets the store's counters after preparing, so a test counts only what the lookup does. */
function resetCounts(deps: Deps): void {
  deps.db.calls.reads = 0;
  deps.db.calls.writes = 0;
  deps.callers.calls.findCallerByPhone = 0;
  deps.callers.requests.reads = 0;
}

describe('lookupCaller', () => {
  it('finds the customer behind the number, however Connect spells it, with their open cases and the latest case', async () => {
    const deps = callDeps();
    await annaCase(deps, 'stores');
    const latest = await annaCase(deps, 'customers', 'pending');

    const lookup = await lookupCaller(deps, { callerAddress: '0048601234567' });

    expect(lookup).toEqual({
      phone: '+48601234567',
      customerId: latest.customerId,
      profile: { id: latest.customerId, name: 'Anna Kowalska', preferredLanguage: 'pl', tier: 'standard' },
      openCaseCount: 2,
      latestCase: { id: latest.id, number: 'CS-000002', status: 'pending', queue: 'customers', createdAt: latest.createdAt },
      suggestedQueue: 'customers',
    });
  });

  it('suggests the queue of the newest open case; the latest case may be a resolved one', async () => {
    const deps = callDeps();
    await annaCase(deps, 'marketplace', 'on_hold');
    await annaCase(deps, 'stores', 'open');
    await annaCase(deps, 'customers', 'resolved');

    const lookup = await lookupCaller(deps, { callerAddress: '+48601234567' });

    expect(lookup.suggestedQueue).toBe('stores');
    expect(lookup.openCaseCount).toBe(2);
    expect(lookup.latestCase).toMatchObject({ number: 'CS-000003', status: 'resolved' });
  });

  it('suggests the default queue when no case is open (resolved, closed and quarantined are not open)', async () => {
    const deps = callDeps();
    await annaCase(deps, 'stores', 'closed');
    await annaCase(deps, 'marketplace', 'quarantined');
    await annaCase(deps, 'stores', 'resolved');

    const lookup = await lookupCaller(deps, { callerAddress: '+48601234567' });

    expect(lookup).toMatchObject({ openCaseCount: 0, suggestedQueue: 'customers' });
  });

  it(`counts open cases among the newest ${CALLER_CASES_READ} only`, async () => {
    const deps = callDeps();
    for (let i = 0; i < CALLER_CASES_READ + 2; i += 1) await annaCase(deps, 'customers');

    const lookup = await lookupCaller(deps, { callerAddress: '+48601234567' });

    expect(lookup.openCaseCount).toBe(CALLER_CASES_READ);
    expect(lookup.latestCase?.number).toBe(`CS-0000${CALLER_CASES_READ + 2}`);
  });

  it('reads through one directory call: two requests for a known caller, one for an unknown one, none else', async () => {
    const deps = callDeps();
    await annaCase(deps, 'stores');
    resetCounts(deps);

    await lookupCaller(deps, { callerAddress: '+48601234567' });
    expect(deps.callers.calls.findCallerByPhone).toBe(1);
    expect(deps.callers.requests.reads).toBe(2);

    await lookupCaller(deps, { callerAddress: '+48700000000' });
    expect(deps.callers.calls.findCallerByPhone).toBe(2);
    expect(deps.callers.requests.reads).toBe(3);
    expect(deps.db.calls).toEqual({ reads: 0, writes: 0 });
  });

  it('answers an unknown number as not found', async () => {
    const deps = callDeps();
    await annaCase(deps, 'stores');

    const lookup = await lookupCaller(deps, { callerAddress: '+4930123456789' });

    expect(lookup).toEqual({
      phone: '+4930123456789',
      customerId: null,
      profile: null,
      openCaseCount: 0,
      latestCase: null,
      suggestedQueue: null,
    });
  });

  it.each([['anonymous'], ['Restricted'], [''], ['  '], ['601234567'], ['not a number'], [null]])(
    'answers a withheld or unusable number (%j) as not found without reading anything',
    async (callerAddress) => {
      const deps = callDeps();
      await annaCase(deps, 'stores');
      resetCounts(deps);

      const lookup = await lookupCaller(deps, { callerAddress });

      expect(lookup).toMatchObject({ phone: null, customerId: null, suggestedQueue: null });
      expect(deps.callers.calls.findCallerByPhone).toBe(0);
    },
  );

  it('still finds the caller when the profile is not readable yet (index lag), with the profile unknown', async () => {
    const deps = callDeps();
    const created = await annaCase(deps, 'stores');
    deps.db.customers.delete(created.customerId);

    const lookup = await lookupCaller(deps, { callerAddress: '+48601234567' });

    expect(lookup).toMatchObject({ customerId: created.customerId, profile: null, openCaseCount: 1, suggestedQueue: 'stores' });
  });
});
