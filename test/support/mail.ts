import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { createTransport } from 'nodemailer';
import { inject } from 'vitest';
import { call } from './api-client.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'mail');

/** A fixture's raw bytes, with its sender (and its Message-ID, if given) swapped so each test stays independent. */
export function fixture(name: string, replace: { from?: string; messageId?: string } = {}): Buffer {
  let text = readFileSync(join(FIXTURES, name), 'latin1');
  if (replace.from)
    text = text
      .replace(/^From:(.*)<[^>]+>/m, `From:$1<${replace.from}>`)
      .replace(/^From: *([^<\r\n]+@[^\s>]+)\s*$/m, `From: ${replace.from}`);
  if (replace.messageId) text = text.replace(/^Message-ID:.*$/im, `Message-ID: ${replace.messageId}`);
  return Buffer.from(text, 'latin1');
}

/** A plain message, composed the way a mail client would. */
export async function composeMail(mail: {
  from: string;
  to?: string;
  cc?: string;
  subject: string;
  text: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; content: string; contentType: string }[];
}): Promise<Buffer> {
  return new MailComposer({
    from: mail.from,
    to: mail.to ?? 'support@switchboard.local',
    cc: mail.cc,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    headers: mail.headers,
    attachments: mail.attachments,
  })
    .compile()
    .build();
}

/** Sends raw mail over SMTP to the suite's local runtime, as a customer's mail server would. */
export async function sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<void> {
  return sendRawTo(inject('smtpPort'), raw, envelope);
}

/** Sends raw mail over SMTP to a runtime on the given port. */
export async function sendRawTo(port: number, raw: Buffer, envelope: { from: string; to: string[] }): Promise<void> {
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope, raw });
  } finally {
    transport.close();
  }
}

/** Polls until the check returns a value (not undefined), or fails after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * The cases of the customer with this email, newest first (empty when the customer is unknown).
 * Read by a supervisor, who sees every queue's cases: mail lands in any queue.
 */
export async function casesOf(email: string): Promise<any[]> {
  const customer = await call('GET', `/customers?email=${encodeURIComponent(email)}`);
  if (customer.status !== 200) return [];
  const profile = await call('GET', `/customers/${customer.body.id}?limit=100`, { as: 'supervisor-1' });
  return profile.body.cases;
}

/** The case with its messages, read by a supervisor (see `casesOf`). */
export async function caseDetail(idOrNumber: string): Promise<any> {
  return (await call('GET', `/cases/${idOrNumber}`, { as: 'supervisor-1' })).body;
}

/** Mail the SES stand-in captured, to one recipient. */
export async function outboundTo(address: string): Promise<any[]> {
  const store = (await (await fetch(`${inject('sesUrl')}/store`)).json()) as { emails: any[] };
  return store.emails.filter((email) => email.destination.to.some((to: string) => to.toLowerCase().includes(address.toLowerCase())));
}
