import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { KinesisDelivery } from '#local/kinesis-delivery';
import type { LocalAuth } from '#local/local-auth';
import { EventRuleDelivery } from '#local/event-rules';
import type { CloudModel } from '#local/cloud-template';
import type { FunctionLoader } from '#local/function-loader';
import { type ContactFlowFunction, handleLocalRoute } from '#local/local-routes';

const STREAM_ARN = 'arn:aws:kinesis:eu-central-1:000000000000:stream/AgentEventStream';

let server: Server | null = null;

/** The local routes behind a loopback server, as the runtime serves them; token routes are not exercised. */
async function serve(
  agentEvents: KinesisDelivery | null,
  connect: { rules?: EventRuleDelivery; connectFunctions?: Map<string, ContactFlowFunction> } = {},
): Promise<string> {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void handleLocalRoute({
        request,
        response,
        body: Buffer.concat(chunks),
        url: new URL(request.url ?? '/', 'http://127.0.0.1'),
        auth: {} as LocalAuth,
        documents: {} as DynamoDBDocumentClient,
        agentStateTable: 'AgentStateTable',
        agentEvents,
        rules: connect.rules ?? ({} as EventRuleDelivery),
        connectFunctions: connect.connectFunctions ?? new Map(),
      });
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function recordingDelivery() {
  const received: KinesisStreamEvent[] = [];
  const delivery = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [
    {
      handler: async (event) => {
        received.push(event);
        const failed = event.Records.find(
          (record) => JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')).EventId === 'bad',
        );
        return { batchItemFailures: failed ? [{ itemIdentifier: failed.kinesis.sequenceNumber }] : [] };
      },
      functionName: 'agent-events',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/agent-events-role',
      batchSize: 100,
      reportBatchItemFailures: true,
      bisectBatchOnFunctionError: false,
      filters: [],
    },
  ]);
  return { delivery, received };
}

async function post(url: string, body: string) {
  const response = await fetch(`${url}/local/connect/agent-events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

describe('POST /local/connect/agent-events', () => {
  it('delivers one event or an array of them and answers with the batch item failures', async () => {
    const { delivery, received } = recordingDelivery();
    const url = await serve(delivery);

    const single = await post(url, JSON.stringify({ EventType: 'STATE_CHANGE', EventId: 'one', AgentARN: 'arn:agent/1' }));
    const many = await post(
      url,
      JSON.stringify([
        { EventType: 'HEART_BEAT', EventId: 'ok' },
        { EventType: 'STATE_CHANGE', EventId: 'bad' },
      ]),
    );

    expect(single).toEqual({ status: 200, json: { delivered: 1, batchItemFailures: [] } });
    expect(many).toEqual({
      status: 200,
      json: { delivered: 2, batchItemFailures: [{ itemIdentifier: received[1]?.Records[1]?.kinesis.sequenceNumber }] },
    });
    expect(received.map((event) => event.Records.length)).toEqual([1, 2]);
    expect(received[0]?.Records[0]?.kinesis.partitionKey).toBe('arn:agent/1');
  });

  it('refuses a body that is not an agent event object or an array of objects', async () => {
    const { delivery, received } = recordingDelivery();
    const url = await serve(delivery);

    for (const body of ['not json', '"STATE_CHANGE"', '42', 'null', '[]', '[{"EventType":"HEART_BEAT"}, 7]']) {
      const answer = await post(url, body);
      expect(answer.status, body).toBe(400);
      expect(answer.json.error, body).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    }
    expect(received).toEqual([]);
  });

  it('answers not_found when the template has no Kinesis-triggered function', async () => {
    const url = await serve(null);

    const answer = await post(url, JSON.stringify({ EventType: 'STATE_CHANGE' }));

    expect(answer.status).toBe(404);
    expect(answer.json.error).toMatchObject({ code: 'not_found' });
  });
});

describe('POST /local/connect/contact-events', () => {
  /** The rules of a template with one pattern rule on Connect's contact events, its target recording what it gets. */
  function contactEventRules(received: unknown[]): EventRuleDelivery {
    const model = {
      eventRules: [
        {
          logicalId: 'ContactEventsRule',
          eventPattern: { source: ['aws.connect'], 'detail-type': ['Amazon Connect Contact Event'] },
          scheduleExpression: null,
          enabled: true,
          functionLogicalIds: ['ContactEventsFunction'],
        },
      ],
      functions: new Map([['ContactEventsFunction', { localName: 'ContactEventsFunction', timeoutSeconds: 3 }]]),
    } as unknown as CloudModel;
    const functions = {
      nameOf: () => 'contact-events',
      handler: async () => async (event: unknown) => {
        received.push(event);
      },
    } as unknown as FunctionLoader;
    return new EventRuleDelivery(model, functions, { region: 'eu-central-1', account: '000000000000', log: () => undefined });
  }

  it('hands matching events, completed as EventBridge stamps them, to the rule’s targets; others count as unmatched', async () => {
    const received: any[] = [];
    const url = await serve(null, { rules: contactEventRules(received) });

    const response = await fetch(`${url}/local/connect/contact-events`, {
      method: 'POST',
      body: JSON.stringify([
        { source: 'aws.connect', 'detail-type': 'Amazon Connect Contact Event', detail: { contactId: 'c-1', eventType: 'DISCONNECTED' } },
        { source: 'aws.s3', 'detail-type': 'Object Created', detail: {} },
      ]),
    });
    const report = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(report).toMatchObject({
      unmatched: 1,
      failed: [],
      delivered: [{ detailType: 'Amazon Connect Contact Event', functions: ['contact-events'] }],
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ version: '0', account: '000000000000', region: 'eu-central-1', detail: { contactId: 'c-1' } });
    expect(typeof received[0].id).toBe('string');
  });

  it('refuses bodies that are not EventBridge events, naming the missing fields', async () => {
    const url = await serve(null, { rules: contactEventRules([]) });

    const notJson = await fetch(`${url}/local/connect/contact-events`, { method: 'POST', body: '{' });
    const incomplete = await fetch(`${url}/local/connect/contact-events`, {
      method: 'POST',
      body: JSON.stringify({ source: 'aws.connect' }),
    });
    const body = (await incomplete.json()) as { error: { details: { fields: { path: string }[] } } };

    expect(notJson.status).toBe(400);
    expect(incomplete.status).toBe(400);
    expect(body.error.details.fields.map((field: { path: string }) => field.path)).toEqual(['body[0].detail-type', 'body[0].detail']);
  });
});

describe('POST /local/connect/{function}', () => {
  it('invokes the named contact-flow function with the event and answers its map', async () => {
    const events: unknown[] = [];
    const lookup: ContactFlowFunction = {
      handler: async () => async (event: unknown) => {
        events.push(event);
        return { status: 'ok', found: 'false' };
      },
      context: () => ({}),
    };
    const url = await serve(null, { connectFunctions: new Map([['customer-lookup', lookup]]) });

    const response = await fetch(`${url}/local/connect/customer-lookup`, {
      method: 'POST',
      body: JSON.stringify({ Name: 'ContactFlowEvent', Details: {} }),
    });
    const unknown = await fetch(`${url}/local/connect/no-such-function`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', found: 'false' });
    expect(events).toEqual([{ Name: 'ContactFlowEvent', Details: {} }]);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('customer-lookup');
  });
});
