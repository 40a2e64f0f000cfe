import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CapturedEvent, type EventBridgeLocal, startEventBridgeLocal } from '#local/services/eventbridge-local';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

let running: EventBridgeLocal | null = null;

async function start(options: { eventBuses?: string[]; maxEvents?: number } = {}) {
  running = await startEventBridgeLocal({ port: 0, ...options });
  const client = new EventBridgeClient({ region: 'eu-central-1', endpoint: running.url, credentials: CREDENTIALS, maxAttempts: 1 });
  return { stand: running, client };
}

function entry(overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    Source: 'switchboard.cases',
    DetailType: 'CaseOpened',
    Detail: JSON.stringify({ caseId: 'c-1' }),
    EventBusName: 'switchboard-events',
    ...overrides,
  };
}

async function listed(url: string, query = ''): Promise<CapturedEvent[]> {
  const response = await fetch(`${url}/events${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: CapturedEvent[] }).events;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await running?.stop();
  running = null;
});

describe('the EventBridge stand-in', () => {
  it('accepts PutEvents from the real SDK client and lists the events with their parsed detail', async () => {
    const { stand, client } = await start({ eventBuses: ['switchboard-events'] });
    const time = new Date('2026-11-23T12:00:00.000Z');

    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Time: time, Resources: ['arn:aws:dynamodb:eu-central-1:000000000000:table/cases'] }),
          entry({ DetailType: 'CaseClosed', Detail: JSON.stringify({ caseId: 'c-2', reason: 'solved' }), EventBusName: undefined }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(2);
    const ids = result.Entries?.map((e) => e.EventId);
    expect(ids?.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(await listed(stand.url)).toEqual([
      {
        id: ids?.[0],
        time: '2026-11-23T12:00:00.000Z',
        source: 'switchboard.cases',
        detailType: 'CaseOpened',
        detail: { caseId: 'c-1' },
        eventBusName: 'switchboard-events',
        resources: ['arn:aws:dynamodb:eu-central-1:000000000000:table/cases'],
      },
      expect.objectContaining({
        id: ids?.[1],
        detailType: 'CaseClosed',
        detail: { caseId: 'c-2', reason: 'solved' },
        eventBusName: 'default',
      }),
    ]);
  });

  it('is found through AWS_ENDPOINT_URL_EVENTBRIDGE, as the local runtime points the handlers at it', async () => {
    const { stand } = await start();
    vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', stand.url);
    const client = new EventBridgeClient({ region: 'eu-central-1', credentials: CREDENTIALS, maxAttempts: 1 });

    await client.send(
      new PutEventsCommand({ Entries: [entry({ EventBusName: 'arn:aws:events:eu-central-1:000000000000:event-bus/any' })] }),
    );

    expect(stand.events()).toEqual([expect.objectContaining({ source: 'switchboard.cases', eventBusName: 'any' })]);
  });

  it('reports bad entries one by one, keeps the good ones, and counts the failures', async () => {
    const { stand, client } = await start({ eventBuses: ['switchboard-events'] });

    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: JSON.stringify(['not', 'an', 'object']) }),
          entry({ DetailType: 'Kept' }),
          entry({ Detail: '{"caseId":' }),
          entry({ Source: undefined }),
          entry({ EventBusName: 'no-such-bus' }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { EventId: expect.any(String) },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('Source') },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: expect.stringContaining('no-such-bus') },
    ]);
    expect(stand.events().map((event) => event.detailType)).toEqual(['Kept']);
  });

  it('refuses a whole request of more than 10 entries, none at all, or more than 256 KB', async () => {
    const { stand, client } = await start();
    const eleven = Array.from({ length: 11 }, () => entry());
    const big = entry({ Detail: JSON.stringify({ text: 'x'.repeat(256 * 1024) }) });

    await expect(client.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new PutEventsCommand({ Entries: [big] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    expect(stand.events()).toEqual([]);
  });

  it('filters GET /events by detail type and source, oldest first', async () => {
    const { stand, client } = await start();
    await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: '{"n":1}' }),
          entry({ DetailType: 'CaseClosed', Detail: '{"n":2}' }),
          entry({ Source: 'switchboard.routing', DetailType: 'WorkOffered', Detail: '{"n":3}' }),
          entry({ Detail: '{"n":4}' }),
        ],
      }),
    );

    expect((await listed(stand.url, '?detailType=CaseOpened')).map((event) => event.detail)).toEqual([{ n: 1 }, { n: 4 }]);
    expect((await listed(stand.url, '?source=switchboard.routing')).map((event) => event.detail)).toEqual([{ n: 3 }]);
    expect((await listed(stand.url, '?source=switchboard.cases&detailType=CaseClosed')).map((event) => event.detail)).toEqual([{ n: 2 }]);
    expect(await listed(stand.url, '?detailType=Nothing')).toEqual([]);
  });

  it('keeps only the newest events when full', async () => {
    const { stand, client } = await start({ maxEvents: 3 });

    for (const n of [1, 2, 3, 4, 5]) await client.send(new PutEventsCommand({ Entries: [entry({ Detail: JSON.stringify({ n }) })] }));

    expect((await listed(stand.url)).map((event) => event.detail)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
  });

  it('answers an operation it does not implement with an awsJson error', async () => {
    const { stand } = await start();

    const response = await fetch(stand.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSEvents.PutRule' },
      body: '{}',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
