import { InMemoryCallStore } from './memory/in-memory-call-store.js';
import type { CallCaseDeps, LookupCallerDeps } from '#telephony/use-cases/deps';
import type { CallContact, OpenOrLinkCallCaseInput } from '#telephony/use-cases/open-or-link-call-case';
import { memoryDeps } from './builders.js';

/** The call use cases' deps in memory, over the same in-memory cases table as `memoryDeps`. */
export function callDeps(): ReturnType<typeof memoryDeps> &
  CallCaseDeps &
  LookupCallerDeps & { calls: InMemoryCallStore; callers: InMemoryCallStore } {
  const deps = memoryDeps();
  const store = new InMemoryCallStore(deps.db);
  return { ...deps, calls: store, callers: store };
}

/** A Connect contact; override what the test is about. */
export function callContact(overrides: Partial<CallContact> = {}): CallContact {
  return {
    contactId: 'contact-1',
    initialContactId: overrides.contactId ?? 'contact-1',
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    queueName: 'Customers PL',
    ...overrides,
  };
}

/** A call from a Polish mobile about an order; override what the test is about. */
export function callInput(overrides: Partial<OpenOrLinkCallCaseInput> = {}): OpenOrLinkCallCaseInput {
  return { contact: callContact(), callerAddress: '+48601234567', reason: 'Where is my order?', ...overrides };
}
