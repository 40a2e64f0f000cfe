import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiUrl, call, tokenFor, uniqueEmail } from '../support/api-client.js';
import { caseDetail, casesOf, eventually, sendRaw } from '../support/mail.js';
import { CORPUS } from '../fixtures/mail/corpus/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CORPUS_DIR = join(import.meta.dirname, '../fixtures/mail/corpus');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The raw message as the API serves it ("show original"). */
async function rawOf(caseId: string, messageId: string): Promise<{ status: number; type: string | null; bytes: Uint8Array }> {
  const response = await fetch(`${apiUrl()}/cases/${caseId}/messages/${messageId}/raw`, {
    headers: { Authorization: `Bearer ${await tokenFor('anna.nowak')}`, Accept: 'message/rfc822' },
  });
  return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

/**
 * A mail far past what one DynamoDB item holds: a 3 MB body, a 5,000-character subject, 2,000
 * References and 500 recipients, folded as a client would fold them.
 */
function bigMail(from: string, messageId: string): Buffer {
  const subject = Array.from({ length: 625 }, (_, i) => `word${String(i).padStart(4, '0')}`).join(' ');
  const folded = (items: string[], separator: string) => items.join(`${separator}\r\n `);
  const references = Array.from({ length: 2_000 }, (_, i) => `<thread-${i}.${'r'.repeat(40)}@example.com>`);
  const recipients = ['support@switchboard.local', ...Array.from({ length: 499 }, (_, i) => `colleague-${i}@example.com`)];
  const line = 'The delivery of order 7781 was incomplete; the list of missing items follows. '.padEnd(76, '.');
  const body = Array.from({ length: 40_000 }, (_, i) => `${String(i).padStart(5, '0')} ${line}`).join('\r\n');
  return Buffer.from(
    [
      `From: Big Sender <${from}>`,
      `To: ${folded(recipients, ',')}`,
      `Subject: ${subject.replace(/ /g, '\r\n ')}`,
      `Message-ID: ${messageId}`,
      `References: ${folded(references, '')}`,
      'Date: Mon, 13 Jan 2025 11:02:00 +0100',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
      '',
    ].join('\r\n'),
    'utf8',
  );
}

describe('big mail over SMTP', () => {
  it('becomes a case with bounded text, and the raw message is served byte for byte', async () => {
    const from = uniqueEmail('big');
    const raw = bigMail(from, `<big-${Date.now()}@example.com>`);
    expect(raw.length).toBeGreaterThan(3_000_000);

    await sendRaw(raw, { from, to: ['support@switchboard.local'] });
    const [opened] = await eventually(
      async () => {
        const cases = await casesOf(from);
        return cases.length > 0 ? cases : undefined;
      },
      'the case of the big mail',
      120_000,
    );
    const detail = await caseDetail(opened.id);
    const [message] = detail.messages;

    expect(message.textTruncated).toBe(true);
    expect(Buffer.byteLength(message.text)).toBeLessThanOrEqual(64 * 1024);
    expect(message.text).toContain('00000 The delivery of order 7781 was incomplete');
    expect([...message.subject]).toHaveLength(998);
    expect(message.to.length).toBeLessThanOrEqual(50);

    const served = await rawOf(detail.id, message.id);
    expect(served.status).toBe(200);
    expect(served.type).toBe('message/rfc822');
    // What SES stored: its Authentication-Results header on top (stamped locally by the SMTP
    // stand-in), then the message byte for byte as sent.
    const sesHeader = served.bytes.subarray(0, served.bytes.length - raw.length);
    expect(Buffer.from(sesHeader).toString('latin1')).toMatch(
      /^Authentication-Results: amazonses\.com;[\s\S]* dmarc=pass header\.from=[^\r\n]*\r?\n$/,
    );
    expect(sha256(served.bytes.subarray(sesHeader.length))).toBe(sha256(raw));
  });

  it('answers 404 for a message that has no raw copy and for an unknown message', async () => {
    const from = uniqueEmail('raw-404');
    await sendRaw(
      Buffer.from(
        `From: ${from}\r\nTo: support@switchboard.local\r\nSubject: Small\r\nMessage-ID: <small-${Date.now()}@example.com>\r\n\r\nHello\r\n`,
      ),
      { from, to: ['support@switchboard.local'] },
    );
    const [opened] = await eventually(async () => {
      const cases = await casesOf(from);
      return cases.length > 0 ? cases : undefined;
    }, 'the small case');
    const detail = await eventually(async () => {
      const found = await caseDetail(opened.id);
      return found.messages.some((m: any) => m.kind === 'acknowledgement') ? found : undefined;
    }, 'the acknowledgement');
    const acknowledgement = detail.messages.find((m: any) => m.kind === 'acknowledgement');

    expect((await rawOf(detail.id, acknowledgement.id)).status).toBe(404);
    expect((await rawOf(detail.id, 'no-such-message')).status).toBe(404);
  });
});

/** A corpus file with a unique Message-ID and, to find its case, a unique sender or (for invalid From forms) subject. */
function corpusMail(file: string, tag: string): Buffer {
  const text = readFileSync(join(CORPUS_DIR, file), 'latin1').replace(/^Message-ID:.*$/im, `Message-ID: <${tag}@example.com>`);
  return Buffer.from(text, 'latin1');
}

describe('a sample of the real-world corpus over SMTP', () => {
  const sample = [
    'outlook-exchange-related-alternative-video.eml',
    'raw8bit-gb2312-chinese.eml',
    'webmail-wp-windows-1250-raw-subject.eml',
    'broken-boundary-never-appears.eml',
    'attribution-fr-gmail.eml',
    'from-quoted-name-bare-address.eml',
  ];

  it.each(sample)('%s becomes the case the index describes', async (file) => {
    const entry = CORPUS.find((candidate) => candidate.file === file);
    const tag = `corpus-${Date.now().toString(36)}-${file.replace(/\W/g, '')}`;
    const customer = entry?.expect.customer;
    const asWritten = customer && 'asWritten' in customer ? customer.asWritten : null;
    let raw = corpusMail(file, tag);
    let from = 'support-test@example.com';
    if (asWritten === null) {
      from = uniqueEmail(file.replace(/\.eml$/, ''));
      raw = Buffer.from(raw.toString('latin1').replace(/^From:(.*)<[^>]+>/m, `From:$1<${from}>`), 'latin1');
    } else {
      raw = Buffer.from(raw.toString('latin1').replace(/^Subject:.*$/m, `Subject: ${tag}`), 'latin1');
    }

    await sendRaw(raw, { from, to: ['support@switchboard.local'] });
    const caseId: string = await eventually(
      async () => {
        if (asWritten === null) return (await casesOf(from))[0]?.id;
        const page = await call('GET', '/cases?limit=100');
        return page.body.items.find((item: any) => item.subject === tag)?.id;
      },
      `the case of ${file}`,
      60_000,
    );
    const detail = await caseDetail(caseId);
    const [message] = detail.messages;

    if (entry?.expect.subject && asWritten === null) expect(message.subject).toBe(entry.expect.subject);
    if (entry?.expect.text) expect(message.text).toContain(entry.expect.text);
    for (const quoted of entry?.expect.notText ?? []) expect(message.text).not.toContain(quoted);
    expect(message.attachments.map((a: any) => a.filename)).toEqual(entry?.expect.attachments ?? []);
    if (asWritten !== null) {
      expect(detail.customer).toMatchObject({ name: asWritten, email: null });
      expect(message.from).toBe(asWritten);
      expect(message.automation).toBe('sender address not valid');
      expect(detail.messages.filter((m: any) => m.kind === 'acknowledgement')).toHaveLength(0);
    }
  });
});
