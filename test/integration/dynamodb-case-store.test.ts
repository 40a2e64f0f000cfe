import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DynamoCallbackStore } from '#telephony/adapters/dynamodb/callback-store';
import { DynamoCaseStore } from '#cases/adapters/dynamodb/case-store';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { openCase } from '#cases/use-cases/open-case';
import { DynamoCustomerDirectory } from '#cases/adapters/dynamodb/customer-directory';
import { cryptoSecrets, systemClock, ulidGenerator } from '#platform/adapters/system';
import type { CaseDeps } from '#cases/use-cases/deps';
import { agentActor, openCaseInput } from '../support/builders.js';
import { uniqueEmail } from '../support/api-client.js';
import { aCallback } from '../support/callback-fakes.js';
import { uniquePhone } from '../support/connect-events.js';
import { DEMO_CASE_SETTINGS } from '../support/demo-settings.js';

/**
 * The DynamoDB adapter on its own against DynamoDB Local: its conditions must refuse stale writes
 * even when nothing runs concurrently (a concurrent test alone could pass on DynamoDB's
 * transaction-conflict detection while the condition itself were wrong).
 */
const raw = new DynamoDBClient({
  endpoint: inject('dynamoDbUrl'),
  region: 'eu-central-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const cases = new DynamoCaseStore(client, 'CasesTable');
const deps: CaseDeps = {
  cases,
  customers: new DynamoCustomerDirectory(client, 'CasesTable'),
  clock: systemClock,
  ids: ulidGenerator,
  secrets: cryptoSecrets,
  settings: DEMO_CASE_SETTINGS,
  backoff: async () => undefined,
};
// The store signs its cursors; in this process (not the local runtime's), with a key of the test's own.
beforeAll(() => vi.stubEnv('CURSOR_SIGNING_KEY', 'test-only-cursor-signing-key-0123456789'));
afterAll(() => {
  vi.unstubAllEnvs();
  raw.destroy();
});

describe('DynamoCaseStore', () => {
  it('refuses a case change based on a version that is no longer stored', async () => {
    const created = await openCase(deps, openCaseInput({ customer: { email: uniqueEmail('store') } }), agentActor);
    await cases.commitCaseChange({ case: { ...created, priority: 'high', version: 2 }, expectedVersion: 1, timeline: [] });

    const stale = cases.commitCaseChange({ case: { ...created, priority: 'low', version: 2 }, expectedVersion: 1, timeline: [] });

    await expect(stale).rejects.toEqual(new CommitConflict('version'));
    expect((await cases.getCase(created.id))?.priority).toBe('high');
  });

  it('commits another store’s writes with a case change, and refuses both when those writes’ conditions fail', async () => {
    const callbacks = new DynamoCallbackStore(client, 'CasesTable');
    const created = await openCase(deps, openCaseInput({ customer: { email: uniqueEmail('alongside') } }), agentActor);
    const callback = aCallback({ id: `callback-${created.id}`, caseId: created.id, phone: uniquePhone() });
    await callbacks.commit({ callback: { callback, expectedVersion: 0 } });
    const cancel = (expectedVersion: number) =>
      callbacks.writesOf({ callback: { callback: { ...callback, status: 'cancelled', version: expectedVersion + 1 }, expectedVersion } });

    const stale = cases.commitCaseChange({
      case: { ...created, status: 'closed', version: 2 },
      expectedVersion: 1,
      timeline: [],
      alongside: cancel(7),
    });
    await expect(stale).rejects.toEqual(new CommitConflict('dependent'));
    expect((await cases.getCase(created.id))?.status).toBe('new');

    await cases.commitCaseChange({
      case: { ...created, status: 'closed', version: 2 },
      expectedVersion: 1,
      timeline: [],
      alongside: cancel(1),
    });
    expect((await cases.getCase(created.id))?.status).toBe('closed');
    expect((await callbacks.getCallback(callback.id))?.status).toBe('cancelled');
    expect(await callbacks.listUnfinishedOfCase(created.id)).toEqual([]);
  });

  it('refuses to open a case on a counter value another case already used', async () => {
    const created = await openCase(deps, openCaseInput({ customer: { email: uniqueEmail('counter') } }), agentActor);
    const state = await cases.readIntakeState([]);
    const sequence = Number(created.number.slice(3));

    const stale = cases.commitOpenCase({
      case: { ...created, id: `${created.id}X` },
      timeline: {
        id: 'entry',
        caseId: `${created.id}X`,
        at: created.createdAt,
        actor: { kind: 'system', id: 'test' },
        action: 'case.created',
        changes: [],
      },
      expectedLastSequence: sequence - 1,
      customer: {
        ...created.customer,
        identities: [],
        preferredLanguage: null,
        createdAt: created.createdAt,
        updatedAt: created.createdAt,
        version: 1,
      },
      createCustomer: false,
      claimIdentities: [],
    });

    expect(state.lastCaseSequence).toBeGreaterThanOrEqual(sequence);
    await expect(stale).rejects.toEqual(new CommitConflict('sequence'));
  });

  it('refuses to give an identity to a second customer', async () => {
    const email = uniqueEmail('identity');
    const first = await openCase(deps, openCaseInput({ customer: { email } }), agentActor);
    const state = await cases.readIntakeState([]);
    const now = new Date().toISOString();

    const rival = cases.commitOpenCase({
      case: { ...first, id: `${first.id}Y`, customerId: 'rival' },
      timeline: {
        id: 'entry',
        caseId: `${first.id}Y`,
        at: now,
        actor: { kind: 'system', id: 'test' },
        action: 'case.created',
        changes: [],
      },
      expectedLastSequence: state.lastCaseSequence,
      customer: {
        id: 'rival',
        name: null,
        identities: [{ type: 'email', value: email }],
        preferredLanguage: null,
        tier: 'standard',
        createdAt: now,
        updatedAt: now,
        version: 1,
      },
      createCustomer: true,
      claimIdentities: [],
    });

    await expect(rival).rejects.toEqual(new CommitConflict('identity'));
    expect((await cases.readIntakeState([{ type: 'email', value: email }])).ownerByIdentity.get(`email:${email}`)).toBe(first.customerId);
  });

  it('fills a filtered page across DynamoDB pages and continues exactly where it stopped', async () => {
    const email = uniqueEmail('sparse');
    const opened = [];
    for (let i = 0; i < 7; i += 1) {
      opened.push(await openCase(deps, openCaseInput({ priority: i % 2 === 0 ? 'urgent' : 'low', customer: { email } }), agentActor));
    }
    const customerId = opened[0]?.customerId as string;
    const urgentNewestFirst = opened
      .filter((c) => c.priority === 'urgent')
      .map((c) => c.id)
      .reverse();

    const first = await cases.listCases({ customerId, priority: 'urgent', limit: 3 });
    const second = await cases.listCases({ customerId, priority: 'urgent', limit: 3, cursor: first.nextCursor ?? undefined });

    expect(first.items.map((c) => c.id)).toEqual(urgentNewestFirst.slice(0, 3));
    expect(second.items.map((c) => c.id)).toEqual(urgentNewestFirst.slice(3));
    expect(second.nextCursor).toBeNull();
  });
});
