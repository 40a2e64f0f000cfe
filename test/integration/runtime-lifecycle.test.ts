import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendClient, eventually } from '../support/backend-client.js';
import { type RunningBackend, startBackend } from '../support/local-process.js';
import { composeMail, sendRawTo } from '../support/mail.js';

/** Keys under `inbound/` in the mail bucket of the S3 stand-in at `endpoint`. */
async function inboundKeys(endpoint: string): Promise<string[]> {
  const s3 = new S3Client({
    endpoint,
    region: 'eu-central-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'mailbucket', Prefix: 'inbound/' }));
    return (listed.Contents ?? []).map((object) => object.Key as string);
  } finally {
    s3.destroy();
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function signIn(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/local/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin' }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** One request with headers `fetch` will not send as given (Host) and a body of any size; resolves with the status and body. */
function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

/** The SQS stand-in at `endpoint`, and the URL of the email intake's dead-letter queue there (no poller reads it). */
async function deadLetterQueue(endpoint: string): Promise<{ sqs: SQSClient; url: string }> {
  const sqs = new SQSClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
  const url = (await sqs.send(new ListQueuesCommand({}))).QueueUrls?.find((candidate) => /IntakeDeadLetterQueue/i.test(candidate));
  if (!url) throw new Error('no IntakeDeadLetterQueue in the SQS stand-in');
  return { sqs, url };
}

type CapturedEvent = { id: string; detailType: string; detail: Record<string, unknown> };

async function eventsAt(apiUrl: string): Promise<CapturedEvent[]> {
  return ((await (await fetch(`${apiUrl}/local/events`)).json()) as { events: CapturedEvent[] }).events;
}

async function mailAt(sesUrl: string): Promise<{ messageId: string; destination: { to: string[] } }[]> {
  return ((await (await fetch(`${sesUrl}/store`)).json()) as { emails: { messageId: string; destination: { to: string[] } }[] }).emails;
}

/** Ports in LISTEN state on this machine, with the local address each is bound to (Linux's /proc/net/tcp and tcp6). */
function listeningAddresses(): Map<number, string[]> {
  const found = new Map<number, string[]>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue;
      const [address = '', portHex = ''] = local.split(':');
      const port = Number.parseInt(portHex, 16);
      found.set(port, [...(found.get(port) ?? []), address]);
    }
  }
  return found;
}
/** 127.0.0.1 as /proc/net/tcp writes it (little-endian hex), and ::1 as tcp6 does. */
const LOOPBACK_ADDRESSES = new Set(['0100007F', '00000000000000000000000001000000']);

const portOf = (url: string) => Number(new URL(url).port);

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-lifecycle-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps state (tables and stored mail) across restarts, leaves no JVM behind on SIGTERM, and starts afresh with --reset', async () => {
    const first = await startBackend({ dataDir });
    await sendRawTo(
      first.smtpPort,
      await composeMail({ from: 'keep@example.com', subject: 'Keep me', text: 'This raw mail must survive a restart.' }),
      {
        from: 'keep@example.com',
        to: ['support@switchboard.local'],
      },
    );
    const storedMail = await inboundKeys(first.fauxqsUrl);
    const token = await signIn(first.apiUrl);
    const created = await fetch(`${first.apiUrl}/cases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: token },
      body: JSON.stringify({ subject: 'Persist me', description: '', channel: 'api', customer: { email: 'persist@example.com' } }),
    });
    const { id } = (await created.json()) as { id: string };
    const firstExit = await first.stop();

    expect(firstExit).toBe(0);
    expect(isRunning(first.dynamoDbPid)).toBe(false);

    const second = await startBackend({ dataDir });
    const again = await fetch(`${second.apiUrl}/cases/${id}`, { headers: { Authorization: token } });
    expect(again.status).toBe(200);
    expect(storedMail).toHaveLength(1);
    expect(await inboundKeys(second.fauxqsUrl)).toEqual(storedMail);
    await second.stop();

    const third = await startBackend({ dataDir, reset: true });
    const wiped = await fetch(`${third.apiUrl}/cases/${id}`, { headers: { Authorization: await signIn(third.apiUrl) } });
    expect(wiped.status).toBe(404);
    expect(await inboundKeys(third.fauxqsUrl)).toEqual([]);
    expect(await eventsAt(third.apiUrl)).toEqual([]);
    expect(await mailAt(third.sesUrl)).toEqual([]);
    await third.stop();
    expect(isRunning(third.dynamoDbPid)).toBe(false);
  }, 400_000);

  it('after a restart, accepted work stays accepted, no old event is published again, and queued messages, the captured mail and events are still there', async () => {
    const restartDir = mkdtempSync(join(tmpdir(), 'switchboard-restart-'));
    let backend: RunningBackend = await startBackend({ dataDir: restartDir });
    const { api } = backendClient(() => backend);
    const eventOf = async (detailType: string, caseId: string) =>
      (await eventsAt(backend.apiUrl)).find((event) => event.detailType === detailType && event.detail.caseId === caseId);
    const openCase = async (subject: string) => {
      const opened = await api('POST', '/cases', 'admin', {
        subject,
        description: 'Nie dotarło.',
        channel: 'email',
        language: 'pl',
        category: 'orders',
        customer: { email: `restart.${Date.now()}@example.pl` },
      });
      expect(opened.status).toBe(201);
      return opened.body.id as string;
    };
    try {
      expect((await api('PUT', '/agents/anna.nowak/presence', 'admin', { status: 'available' })).status).toBe(200);
      const caseId = await openCase('Gdzie jest zamówienie?');
      const offer = await eventually(
        'the offer to anna.nowak',
        async () => ((await api('GET', '/agents/anna.nowak/work', 'anna.nowak')).body.offers as any[]).find((o) => o.caseId === caseId),
        120_000,
      );
      expect((await api('POST', `/work/${offer.id}/accept`, 'anna.nowak')).status).toBe(200);
      await eventually('the work.accepted event', () => eventOf('work.accepted', caseId), 120_000);
      await sendRawTo(
        backend.smtpPort,
        await composeMail({ from: 'restart@example.com', subject: 'Reklamacja', text: 'Buty rozkleiły się po tygodniu.' }),
        { from: 'restart@example.com', to: ['support@switchboard.local'] },
      );
      await eventually(
        'the acknowledgement in the SES viewer',
        async () => (await mailAt(backend.sesUrl)).some((mail) => mail.destination.to.some((to) => to.includes('restart@example.com'))),
        120_000,
      );
      const eventsBefore = await eventsAt(backend.apiUrl);
      const mailBefore = await mailAt(backend.sesUrl);
      const parked = await deadLetterQueue(backend.fauxqsUrl);
      await parked.sqs.send(new SendMessageCommand({ QueueUrl: parked.url, MessageBody: '{"kept":"across a restart"}' }));
      parked.sqs.destroy();
      const exit = await backend.stop();
      expect(exit).toBe(0);
      expect(backend.errors.join('')).toBe('');

      backend = await startBackend({ dataDir: restartDir });
      // A probe through both streams (cases → work item → relay): once its offer is published, any
      // replay of the older records before it would have been published too.
      const probe = await openCase('Próba po restarcie');
      await eventually('the probe’s work.offered event', () => eventOf('work.offered', probe), 120_000);
      const eventsAfter = await eventsAt(backend.apiUrl);
      const known = new Set(eventsBefore.map((event) => `${event.detailType} ${JSON.stringify(event.detail)}`));
      const added = eventsAfter.slice(eventsBefore.length);
      const work = (await api('GET', '/agents/anna.nowak/work', 'anna.nowak')).body as { offers: any[]; accepted: any[] };
      const requeued = await deadLetterQueue(backend.fauxqsUrl);
      const kept = await requeued.sqs.send(new ReceiveMessageCommand({ QueueUrl: requeued.url, MaxNumberOfMessages: 10 }));
      requeued.sqs.destroy();

      expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);
      expect(added.filter((event) => known.has(`${event.detailType} ${JSON.stringify(event.detail)}`))).toEqual([]);
      expect(added.filter((event) => event.detail.caseId === caseId)).toEqual([]);
      expect(work.accepted.map((item) => item.caseId)).toContain(caseId);
      expect(work.offers.map((item) => item.caseId)).not.toContain(caseId);
      expect((kept.Messages ?? []).map((message) => message.Body)).toEqual(['{"kept":"across a restart"}']);
      expect(mailBefore.length).toBeGreaterThan(0);
      expect((await mailAt(backend.sesUrl)).map((mail) => mail.messageId)).toEqual(mailBefore.map((mail) => mail.messageId));
    } finally {
      await backend.stop();
      rmSync(restartDir, { recursive: true, force: true });
    }
  }, 400_000);

  it('stops the JVM a runtime killed outright left behind, when the next one starts on the same data', async () => {
    const killedDir = mkdtempSync(join(tmpdir(), 'switchboard-killed-'));
    try {
      const killed = await startBackend({ dataDir: killedDir });
      killed.process.kill('SIGKILL');
      await new Promise((resolve) => killed.process.once('exit', resolve));
      const leftBehind = isRunning(killed.dynamoDbPid);

      const next = await startBackend({ dataDir: killedDir });
      const health = await fetch(`${next.apiUrl}/health`);
      await next.stop();

      expect(leftBehind).toBe(true);
      expect(isRunning(killed.dynamoDbPid)).toBe(false);
      expect(health.status).toBe(200);
      expect(isRunning(next.dynamoDbPid)).toBe(false);
    } finally {
      rmSync(killedDir, { recursive: true, force: true });
    }
  }, 400_000);

  it('refuses to start when a port given is taken, in one line naming its variable', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as { port: number }).port;
    try {
      for (const variable of ['DYNAMODB_PORT', 'FAUXQS_PORT', 'PORT']) {
        const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
          env: { ...process.env, PORT: '0', SES_PORT: '0', SMTP_PORT: '0', DATA_DIR: join(dataDir, 'taken'), [variable]: String(taken) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

        expect(code).toBe(1);
        expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(`${variable}=${taken} is taken`)]);
      }
    } finally {
      holder.close();
    }
  }, 120_000);

  describe('a running runtime', () => {
    let backend: RunningBackend;
    const runningDir = mkdtempSync(join(tmpdir(), 'switchboard-running-'));
    beforeAll(async () => {
      backend = await startBackend({ dataDir: runningDir });
    }, 300_000);
    afterAll(async () => {
      await backend?.stop();
      rmSync(runningDir, { recursive: true, force: true });
    });

    it('answers only requests whose Host is loopback, on the API, the SES viewer and the stand-ins', async () => {
      const health = `${backend.apiUrl}/health`;
      const port = portOf(backend.apiUrl);

      const rebound = await rawRequest(health, { headers: { Host: `attacker.example:${port}` } });
      const lan = await rawRequest(health, { headers: { Host: `192.168.1.20:${port}` } });
      const token = await rawRequest(`${backend.apiUrl}/local/token`, {
        method: 'POST',
        headers: { Host: 'switchboard.attacker.example', 'Content-Type': 'application/json' },
        body: '{"username":"admin"}',
      });

      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'forbidden' } });
      expect(lan.status).toBe(403);
      expect(token.status).toBe(403);
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
        expect((await rawRequest(health, { headers: { Host: host } })).status).toBe(200);
      }
      // The SES viewer (customers' mail on a fixed port) and the EventBridge stand-in refuse it too.
      expect((await rawRequest(`${backend.sesUrl}/store`, { headers: { Host: 'attacker.example' } })).status).toBe(403);
      expect((await rawRequest(`${backend.eventsUrl}/events`, { headers: { Host: 'attacker.example' } })).status).toBe(403);
      expect((await rawRequest(`${backend.sesUrl}/store`, {})).status).toBe(200);
      expect((await rawRequest(`${backend.eventsUrl}/events`, {})).status).toBe(200);
    });

    it('takes only JSON on /local/*', async () => {
      const post = (contentType: string | undefined) =>
        rawRequest(`${backend.apiUrl}/local/token`, {
          method: 'POST',
          headers: contentType ? { 'Content-Type': contentType } : {},
          body: '{"username":"admin"}',
        });

      const form = await post('application/x-www-form-urlencoded');
      const text = await post('text/plain');
      const none = await post(undefined);
      const json = await post('application/json; charset=utf-8');

      expect(form.status).toBe(415);
      expect(JSON.parse(form.body)).toMatchObject({ error: { code: 'unsupported_media_type' } });
      expect(text.status).toBe(415);
      expect(none.status).toBe(415);
      expect(json.status).toBe(200);
    });

    it('refuses a body over the limit: 1 MiB on /local/*, 10 MiB (API Gateway’s) on the API', async () => {
      const token = await signIn(backend.apiUrl);
      const local = await rawRequest(`${backend.apiUrl}/local/connect/contact-events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }),
      });
      const api = await rawRequest(`${backend.apiUrl}/cases`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: Buffer.alloc(10 * 1024 * 1024 + 1, 'x'),
      });
      // Chunked, so no Content-Length announces the size: the count of bytes read refuses it.
      const chunked = await new Promise<number>((resolve, reject) => {
        const sent = request(
          `${backend.apiUrl}/local/connect/contact-events`,
          { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        sent.on('error', reject);
        for (let i = 0; i < 17; i += 1) sent.write(Buffer.alloc(64 * 1024, 'x'));
        sent.end();
      });
      const small = await rawRequest(`${backend.apiUrl}/local/connect/contact-events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(1000) }),
      });

      expect(local.status).toBe(413);
      expect(JSON.parse(local.body)).toMatchObject({ error: { code: 'payload_too_large' } });
      expect(api.status).toBe(413);
      expect(chunked).toBe(413);
      // Under the limit the route reads it, and refuses it for what it says (no source, detail-type, detail).
      expect(small.status).toBe(400);
    });

    it('listens on loopback only, except DynamoDB Local, which has no option for it', () => {
      const listening = listeningAddresses();
      const ports = [backend.apiUrl, backend.sesUrl, backend.eventsUrl, backend.stepFunctionsUrl, backend.fauxqsUrl].map(portOf);
      ports.push(backend.smtpPort);

      for (const port of ports) {
        expect({ port, addresses: listening.get(port) }).toEqual({ port, addresses: expect.any(Array) });
        expect({ port, exposed: (listening.get(port) ?? []).filter((address) => !LOOPBACK_ADDRESSES.has(address)) }).toEqual({
          port,
          exposed: [],
        });
      }
    });

    it('runs beside a second runtime (the stand-ins’ ports are free ones) which Ctrl-C stops without a word on stderr or a process left', async () => {
      const secondDir = mkdtempSync(join(tmpdir(), 'switchboard-beside-'));
      try {
        const second = await startBackend({ dataDir: secondDir });
        // Work in flight on every poller when the signal comes: a case (both streams, the routing queues) and a mail (the intake queue).
        const token = await signIn(second.apiUrl);
        const created = await fetch(`${second.apiUrl}/cases`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ subject: 'Beside', description: '', channel: 'web', customer: { email: 'beside@example.com' } }),
        });
        await sendRawTo(second.smtpPort, await composeMail({ from: 'beside@example.com', subject: 'Beside', text: 'Hello.' }), {
          from: 'beside@example.com',
          to: ['support@switchboard.local'],
        });
        const firstHealth = await fetch(`${backend.apiUrl}/health`);
        const internal = (running: RunningBackend) => [running.dynamoDbUrl, running.fauxqsUrl, running.eventsUrl, running.stepFunctionsUrl];

        const exit = await second.interrupt();

        expect(created.status).toBe(201);
        expect(firstHealth.status).toBe(200);
        expect(new Set([...internal(backend), ...internal(second)]).size).toBe(8);
        expect(exit).toBe(0);
        expect(second.errors.join('')).toBe('');
        expect(isRunning(second.dynamoDbPid)).toBe(false);
        expect((await fetch(`${backend.apiUrl}/health`)).status).toBe(200);
      } finally {
        rmSync(secondDir, { recursive: true, force: true });
      }
    }, 240_000);
  });
});
