import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLIENT_TIMEOUTS, awsClientConfig } from '#platform/adapters/aws-clients';

/** A server that accepts connections and never answers: a stalled service, as the SDK sees it. */
let server: Server;
let endpoint: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((done) => server.close(() => done()));
});

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('awsClientConfig', () => {
  it('fails a call to a service that never answers with a TimeoutError, after its attempts, instead of waiting forever', async () => {
    const client = new DynamoDBClient({
      ...awsClientConfig({ connectionTimeoutMs: 1_000, requestTimeoutMs: 100 }),
      endpoint,
      region: 'eu-central-1',
      credentials,
    });

    const call = client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'x' } } }));

    // Without the factory's limits this call never settles and the test runs into its own timeout.
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError', $metadata: { attempts: 3 } });
  });

  it('sets connection and request timeouts by default, well inside a 10 s function', () => {
    const config = awsClientConfig();

    expect(config.requestHandler).toMatchObject({
      connectionTimeout: AWS_CLIENT_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: AWS_CLIENT_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    });
    expect(AWS_CLIENT_TIMEOUTS.connectionTimeoutMs + AWS_CLIENT_TIMEOUTS.requestTimeoutMs).toBeLessThan(10_000);
  });
});

describe('every AWS SDK client under functions/', () => {
  const root = resolve(import.meta.dirname, '../../../functions');
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).map((file) => join(root, file));
  const constructions = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/new (\w+Client)\(([^)]*)\)/g)]
      .filter(([, name]) => name !== 'DynamoDBDocumentClient')
      .map(([text, , args]) => ({ at: `${relative(root, file)}: ${text}`, args: args ?? '' })),
  );

  it('is created with the shared timeouts (awsClientConfig)', () => {
    expect(constructions.length).toBeGreaterThanOrEqual(7);
    for (const { at, args } of constructions) expect(args, at).toContain('awsClientConfig(');
  });
});
