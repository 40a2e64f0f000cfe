import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ENVIRONMENT } from '../../support/demo-settings.js';
import { CALL_CASE_KEYS, CALLER_LOOKUP_KEYS, FLOW_ANSWER_DEADLINE_MS, FLOW_TIMEOUT_REASON } from '#telephony/adapters/connect/flow-map';

/**
 * The contact-flow handlers as Lambda runs them, with only the DynamoDB client stubbed: whatever
 * fails, they answer the flow a flat map of strings and never throw.
 */
const documents = mockClient(DynamoDBDocumentClient);

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/connect', name), 'utf8')) as Record<string, any>;

type FlowHandler = (event: unknown) => Promise<Record<string, string>>;

/** A fresh import of a handler, so its lazily composed deps see the environment the test set. */
async function load(name: 'customer-lookup' | 'open-or-link-case'): Promise<FlowHandler> {
  vi.resetModules();
  const module =
    name === 'customer-lookup'
      ? await import('#telephony/handlers/customer-lookup')
      : await import('#telephony/handlers/open-or-link-case');
  return module.handler;
}

const allStrings = (map: Record<string, unknown>) => Object.values(map).every((value) => typeof value === 'string');

beforeEach(() => {
  documents.reset();
  for (const [name, value] of Object.entries({ ...DEMO_ENVIRONMENT, CASES_TABLE_NAME: 'cases' })) vi.stubEnv(name, value);
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(() => documents.restore());

describe('customer-lookup handler', () => {
  it('answers a known caller from two DynamoDB requests', async () => {
    const handler = await load('customer-lookup');
    documents.on(GetCommand).resolves({ Item: { customerId: 'cust-1' } });
    documents.on(QueryCommand).resolves({
      Items: [
        { entity: 'customer', id: 'cust-1', name: 'Anna Kowalska', preferredLanguage: 'pl', tier: 'standard' },
        { entity: 'case', id: 'case-2', number: 'CS-000002', status: 'pending', queue: 'stores', createdAt: '2026-11-23T08:00:00.000Z' },
        { entity: 'case', id: 'case-1', number: 'CS-000001', status: 'closed', queue: 'customers', createdAt: '2026-11-22T08:00:00.000Z' },
      ],
    });

    const map = await handler(fixture('contact-flow-event.json'));

    expect(map).toEqual({
      status: 'ok',
      found: 'true',
      customerId: 'cust-1',
      customerName: 'Anna Kowalska',
      preferredLanguage: 'pl',
      tier: 'standard',
      openCaseCount: '1',
      latestCaseNumber: 'CS-000002',
      latestCaseStatus: 'pending',
      suggestedQueue: 'stores',
    });
    expect(documents.calls()).toHaveLength(2);
  });

  it('answers a withheld number as not found without a request', async () => {
    const handler = await load('customer-lookup');

    const map = await handler(fixture('contact-flow-event-withheld.json'));

    expect(map).toMatchObject({ status: 'ok', found: 'false', customerId: '', suggestedQueue: '' });
    expect(documents.calls()).toHaveLength(0);
  });

  it('answers the error map when DynamoDB fails, the event is malformed or the table is not configured', async () => {
    documents.on(GetCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    const handler = await load('customer-lookup');

    const failed = await handler(fixture('contact-flow-event.json'));
    const malformed = await handler({ Name: 'ContactFlowEvent', Details: {} });
    vi.stubEnv('CASES_TABLE_NAME', '');
    const unconfigured = await (await load('customer-lookup'))(fixture('contact-flow-event.json'));

    expect(failed).toEqual({ status: 'error', reason: 'internal error' });
    expect(malformed.status).toBe('error');
    expect(malformed.reason).toMatch(/^invalid request: .*Details\.ContactData/);
    expect(unconfigured).toEqual({ status: 'error', reason: 'internal error' });
    expect([failed, malformed, unconfigured].every(allStrings)).toBe(true);
  });
});

describe('open-or-link-case handler', () => {
  it('opens a case for an unknown caller in one read and one write', async () => {
    const handler = await load('open-or-link-case');
    documents.on(BatchGetCommand).resolves({ Responses: { cases: [{ PK: 'COUNTER#case', SK: 'COUNTER', sequence: 6 }] } });
    documents.on(TransactWriteCommand).resolves({});

    const map = await handler(fixture('contact-flow-event-unknown-number.json'));

    expect(map).toMatchObject({ status: 'ok', caseNumber: 'CS-000007', linked: 'false' });
    expect(Object.keys(map)).toEqual(['status', 'caseId', 'caseNumber', 'linked', 'customerId']);
    expect(allStrings(map)).toBe(true);
    expect(documents.calls()).toHaveLength(2);
  });

  it('answers the recorded case when Connect invokes it again for the same contact', async () => {
    const handler = await load('open-or-link-case');
    documents.on(BatchGetCommand).resolves({
      Responses: {
        cases: [
          {
            PK: 'CONTACT#b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
            SK: 'CONTACT',
            contactId: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
            caseId: 'case-7',
            caseNumber: 'CS-000007',
            customerId: 'cust-9',
            linked: false,
            at: '2026-11-23T09:00:00.000Z',
          },
        ],
      },
    });

    const map = await handler(fixture('contact-flow-event-unknown-number.json'));

    expect(map).toEqual({ status: 'ok', caseId: 'case-7', caseNumber: 'CS-000007', linked: 'false', customerId: 'cust-9' });
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers "caller number withheld" for a withheld number, before any request', async () => {
    const handler = await load('open-or-link-case');

    expect(await handler(fixture('contact-flow-event-withheld.json'))).toEqual({ status: 'error', reason: 'caller number withheld' });
    expect(documents.calls()).toHaveLength(0);
  });

  it('answers the error map when DynamoDB fails or the flow passes no reason', async () => {
    documents.on(BatchGetCommand).rejects(new Error('socket hang up'));
    const handler = await load('open-or-link-case');
    const noReason = fixture('contact-flow-event.json');
    noReason.Details.Parameters = {};

    expect(await handler(fixture('contact-flow-event.json'))).toEqual({ status: 'error', reason: 'internal error' });
    expect(await handler(noReason)).toEqual({
      status: 'error',
      reason: 'invalid request: the flow parameters are not valid: Details.Parameters.reason: required: why the customer calls',
    });
    expect(await handler(undefined)).toMatchObject({ status: 'error' });
  });
});

describe('the flow deadline, when DynamoDB is slow', () => {
  const never = () => new Promise<never>(() => undefined);
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['customer-lookup', 'contact-flow-event.json', CALLER_LOOKUP_KEYS],
    ['open-or-link-case', 'contact-flow-event-unknown-number.json', CALL_CASE_KEYS],
  ] as const)('%s answers the timeout map with every key by the deadline, without throwing', async (name, event, keys) => {
    const handler = await load(name);
    vi.useFakeTimers();
    for (const command of [GetCommand, QueryCommand, BatchGetCommand, TransactWriteCommand])
      documents.on(command as never).callsFake(never);

    const answer = handler(fixture(event));
    await vi.advanceTimersByTimeAsync(FLOW_ANSWER_DEADLINE_MS);

    const map = await answer;
    expect(map).toMatchObject({ status: 'error', reason: FLOW_TIMEOUT_REASON });
    expect(Object.keys(map).sort()).toEqual([...new Set([...keys, 'reason'])].sort());
    expect(allStrings(map)).toBe(true);
  });

  it('answers the lookup itself when DynamoDB answers just before the deadline', async () => {
    const handler = await load('customer-lookup');
    vi.useFakeTimers();
    const late = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), FLOW_ANSWER_DEADLINE_MS / 2 - 1));
    documents.on(GetCommand).callsFake(() => late({ Item: { customerId: 'cust-1' } }));
    documents
      .on(QueryCommand)
      .callsFake(() =>
        late({ Items: [{ entity: 'customer', id: 'cust-1', name: 'Anna Kowalska', preferredLanguage: 'pl', tier: 'standard' }] }),
      );

    const answer = handler(fixture('contact-flow-event.json'));
    await vi.advanceTimersByTimeAsync(FLOW_ANSWER_DEADLINE_MS);

    expect(await answer).toMatchObject({ status: 'ok', found: 'true', customerId: 'cust-1' });
  });
});
