import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackend } from '../support/local-process.js';
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
    await third.stop();
    expect(isRunning(third.dynamoDbPid)).toBe(false);
  }, 240_000);
});
