import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { KinesisDelivery } from '../../../local/kinesis-delivery.js';
import type { LocalAuth } from '../../../local/local-auth.js';
import { handleLocalRoute } from '../../../local/local-routes.js';

const STREAM_ARN = 'arn:aws:kinesis:eu-central-1:000000000000:stream/AgentEventStream';

let server: Server | null = null;

/** The local routes behind a loopback server, as the runtime serves them; token routes are not exercised. */
async function serve(agentEvents: KinesisDelivery | null): Promise<string> {
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
        const failed = event.Records.find((record) => JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')).EventId === 'bad');
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
  const response = await fetch(`${url}/local/connect/agent-events`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
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
    const many = await post(url, JSON.stringify([{ EventType: 'HEART_BEAT', EventId: 'ok' }, { EventType: 'STATE_CHANGE', EventId: 'bad' }]));

    expect(single).toEqual({ status: 200, json: { delivered: 1, batchItemFailures: [] } });
    expect(many).toEqual({ status: 200, json: { delivered: 2, batchItemFailures: [{ itemIdentifier: received[1]?.Records[1]?.kinesis.sequenceNumber }] } });
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
