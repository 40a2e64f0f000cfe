import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendClient, eventually } from '../support/backend-client.js';
import { ALWAYS_OPEN, abandonedCall, uniquePhone } from '../support/connect-events.js';
import { type RunningBackend, startBackend } from '../support/local-process.js';

/**
 * The end of the missed-call promise, through the local runtime: a callback whose last allowed
 * attempt goes unanswered is failed, noted on the case, and the customer is told by email through
 * the outbox and SES. This file runs its own backend with one attempt allowed
 * (`switchboard:callbackMaxAttempts`) and the callback schedule every 2 s instead of every minute.
 */
let backend: RunningBackend;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-callback-final-'));
  backend = await startBackend({
    dataDir,
    reset: true,
    context: { 'switchboard:callbackMaxAttempts': 1 },
    env: { LOCAL_SCHEDULE_SECONDS: '2' },
  });
}, 120_000);

afterAll(async () => {
  await backend?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const { api } = backendClient(() => backend);

async function local(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${backend.apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const callbackOf = async (phone: string) =>
  ((await api('GET', '/callbacks?limit=100', 'supervisor-1')).body.items as any[]).find((callback) => callback.phone === phone) ?? null;
const callsTo = async (phone: string) =>
  ((await local('GET', '/local/connect/outbound')).body.calls as any[]).filter((call) => call.request.DestinationPhoneNumber === phone);

describe('a callback whose last attempt goes unanswered', () => {
  it('is failed, noted on the case, and the customer is emailed; nobody dials again', async () => {
    // The `other` queue's calendar open all day, and one agent of it free to take the call.
    const calendar = await api('GET', '/sla/calendars/warsaw-office', 'admin');
    const { name: _name, ...original } = calendar.body.value;
    expect(
      (
        await api('PUT', '/sla/calendars/warsaw-office', 'admin', {
          ...original,
          weekly: ALWAYS_OPEN,
          holidays: [],
          version: calendar.body.version,
        })
      ).status,
    ).toBe(200);
    const agentId = 'callback-final-agent';
    expect(
      (
        await api('PUT', `/agents/${agentId}`, 'admin', {
          name: 'Callback Final',
          email: `${agentId}@switchboard.local`,
          roles: ['agents'],
          skills: [{ skill: 'pl', level: 9 }],
          queues: ['other'],
          capacity: 10,
        })
      ).status,
    ).toBe(200);
    expect((await api('PUT', `/agents/${agentId}/presence`, 'admin', { status: 'available' })).status).toBe(200);

    const phone = uniquePhone();
    const email = `oddzwon.${Date.now()}@example.com`;
    const created = await api('POST', '/cases', 'admin', {
      subject: 'Pytanie o zwrot',
      description: 'Proszę o telefon.',
      channel: 'phone',
      queue: 'other',
      language: 'pl',
      customer: { email, phone, name: 'Ewa Nieobecna' },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    const caseNumber = created.body.number as string;

    const delivered = await local('POST', '/local/connect/contact-events', abandonedCall(randomUUID(), phone));
    expect(delivered.body).toMatchObject({ failed: [], unmatched: 0 });
    const [dialled] = await eventually(
      'the callback dialled',
      async () => {
        const calls = await callsTo(phone);
        return calls.length > 0 ? calls : null;
      },
      30_000,
    );
    await eventually('the attempt recorded', async () => ((await callbackOf(phone))?.attempts[0]?.contactId ? true : null), 30_000);
    expect((await local('POST', `/local/connect/outbound/${dialled.contactId}`, { outcome: 'no_answer' })).status).toBe(200);

    const callback = await eventually('the callback failed', async () => {
      const current = await callbackOf(phone);
      return current?.status === 'failed' ? current : null;
    });
    expect(callback).toMatchObject({ caseId, nextAttemptAt: null, attempts: [{ number: 1, outcome: 'no_answer' }] });

    const timeline = (await api('GET', `/cases/${caseId}/timeline?limit=100`, 'admin')).body.items as any[];
    const failed = timeline.find((entry) => entry.action === 'callback.failed');
    const note = timeline.find((entry) => entry.action === 'note.added');
    expect(failed?.data).toMatchObject({ callbackId: callback.id, attempts: 1, customerMailed: true });
    expect(note?.data.body).toContain(`Callback to ${phone} failed`);
    expect(note?.data.body).toContain(`emailed at ${email}`);

    // The customer hears of it in their language, with the case number, through the outbox and SES.
    const mail = await eventually('the email to the customer', async () => {
      const store = (await (await fetch(`${backend.sesUrl}/store`)).json()) as { emails: any[] };
      return store.emails.find((sent) => (sent.destination.to as string[]).join(', ').includes(email));
    });
    expect(mail.subject).toContain('Nie udało się do Ciebie oddzwonić');
    expect(mail.subject).toContain(caseNumber);

    // Several schedule ticks later, still one call: a failed callback is never dialled again.
    await new Promise((done) => setTimeout(done, 6_000));
    expect(await callsTo(phone)).toHaveLength(1);
    expect((await callbackOf(phone)).status).toBe('failed');
  }, 120_000);
});
