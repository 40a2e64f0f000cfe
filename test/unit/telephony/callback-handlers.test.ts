import { readFileSync } from 'node:fs';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ENVIRONMENT } from '../../support/demo-settings.js';

const documents = mockClient(DynamoDBDocumentClient);
const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/connect/${name}`, import.meta.url), 'utf8'));

const ENV = {
  ...DEMO_ENVIRONMENT,
  CASES_TABLE_NAME: 'cases',
  AGENT_STATE_TABLE_NAME: 'agent-state',
  CALLBACK_MAX_ATTEMPTS: '3',
  CALLBACK_RETRY_MINUTES: '15',
  CONNECT_INSTANCE_ID: '4f3c2b1a-0000-4000-8000-000000000001',
  CONNECT_CALLBACK_FLOW_ID: 'callback-flow-1',
  CONNECT_QUEUE_IDS: JSON.stringify({ customers: '0a1b2c3d-0000-4000-8000-00000000c001' }),
};

beforeEach(() => {
  documents.reset();
  vi.resetModules();
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => documents.restore());

describe('the contact-events handler', () => {
  it('logs and drops a malformed event or one of another kind, touching nothing', async () => {
    const { handler } = await import('#telephony/handlers/contact-events');
    const broken = fixture('contact-event-disconnected-inbound-abandoned.json');
    delete broken.detail.contactId;

    expect(await handler(broken)).toBeNull();
    expect(await handler({ ...broken, source: 'aws.events', 'detail-type': 'Scheduled Event' })).toBeNull();
    expect(documents.calls()).toHaveLength(0);
  });

  it('leaves a chat contact alone without reading anything', async () => {
    const { handler } = await import('#telephony/handlers/contact-events');

    expect(await handler(fixture('contact-event-data-updated-chat.json'))).toMatchObject({ handledAs: 'ignored' });
    expect(documents.calls()).toHaveLength(0);
  });

  it('throws when the table fails, so EventBridge retries the event', async () => {
    documents.on(BatchGetCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const { handler } = await import('#telephony/handlers/contact-events');

    await expect(handler(fixture('contact-event-disconnected-inbound-abandoned.json'))).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
  });

  it('fails at start naming a missing variable', async () => {
    vi.stubEnv('CASES_TABLE_NAME', '');

    await expect(import('#telephony/handlers/contact-events')).rejects.toThrow('environment variable CASES_TABLE_NAME is not set');
  });
});

describe('the dispatch-callbacks handler', () => {
  it('reads only the due index when nothing is due', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });
    const { handler } = await import('#telephony/handlers/dispatch-callbacks');

    const report = await handler();

    expect(report).toMatchObject({ due: 0, steps: [] });
    expect(documents.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('fails at start without the Connect settings, naming them', async () => {
    vi.stubEnv('CONNECT_CALLBACK_FLOW_ID', '');
    await expect(import('#telephony/handlers/dispatch-callbacks')).rejects.toThrow(
      'environment variable CONNECT_CALLBACK_FLOW_ID is not set',
    );

    vi.resetModules();
    vi.stubEnv('CONNECT_CALLBACK_FLOW_ID', 'callback-flow-1');
    vi.stubEnv('CONNECT_QUEUE_IDS', '["customers"]');
    await expect(import('#telephony/handlers/dispatch-callbacks')).rejects.toThrow(
      'environment variable CONNECT_QUEUE_IDS: Invalid input: expected record',
    );

    vi.resetModules();
    vi.stubEnv('CONNECT_QUEUE_IDS', ENV.CONNECT_QUEUE_IDS);
    vi.stubEnv('CALLBACK_MAX_ATTEMPTS', '0');
    await expect(import('#telephony/handlers/dispatch-callbacks')).rejects.toThrow(
      'environment variable CALLBACK_MAX_ATTEMPTS must be a whole number from 1 to 10, not 0',
    );
  });
});
