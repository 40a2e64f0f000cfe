import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInboundMail, UnparseableMailError } from '#email/adapters/mime/parse-inbound-mail';
import type { InboundAttachment } from '#email/domain/inbound-mail';

const FIXTURES = new URL('../../fixtures/mail/', import.meta.url);
const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));
const parseFixture = (name: string) => parseInboundMail(fixture(name));
const crlf = (text: string): Buffer => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const withoutContent = ({ content: _content, ...rest }: InboundAttachment) => rest;

describe('parseInboundMail on every fixture', () => {
  const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.eml'));

  it('has the fixtures the README lists', () => {
    const readme = readFileSync(new URL('README.md', FIXTURES), 'utf8');

    const listed = [...readme.matchAll(/^\| `([^`]+\.eml)` \|/gm)].map((match) => match[1]);

    expect(listed.sort()).toEqual([...names].sort());
  });

  it.each(names)('parses %s into UTF-8 text with a sender and a Date-derived or null date', async (name) => {
    const mail = await parseFixture(name);

    expect(mail.from?.address).toMatch(/@/);
    expect(mail.text).not.toContain('\uFFFD');
    expect(mail.subject).not.toMatch(/=\?/);
    expect(mail.date === null || !Number.isNaN(Date.parse(mail.date))).toBe(true);
    for (const attachment of mail.attachments) {
      expect(attachment.checksum).toBe(sha256(attachment.content));
      expect(attachment.size).toBe(attachment.content.byteLength);
    }
  });
});

describe('parseInboundMail: structure and encodings', () => {
  it('reads a Gmail multipart/alternative message: quoted-printable Polish, B-encoded subject, encoded name', async () => {
    const mail = await parseFixture('multipart-alternative-gmail.eml');

    expect(mail.subject).toBe('Zamówienie 12345 – brak przesyłki');
    expect(mail.from).toEqual({ address: 'lukasz.kowalski@example.pl', name: 'Łukasz Kowalski' });
    expect(mail.to).toEqual([{ address: 'support@switchboard.local', name: null }]);
    expect(mail.deliveredTo).toEqual(['support@switchboard.local']);
    expect(mail.messageId).toBe('<CAJx7Qm8c1R5y+Vb2kT3=PzK0wq9E4sAq1uQ@mail.gmail.com>');
    expect(mail.date).toBe('2025-01-13T09:41:12.000Z');
    expect(mail.text).toBe(
      'Dzień dobry,\n\nzamówiłem 2 stycznia zestaw garnków (zamówienie nr 12345), a przesyłka\n' +
        'wciąż nie dotarła. Śledzenie od tygodnia pokazuje „w drodze”. Proszę o\n' +
        'sprawdzenie, gdzie jest paczka, i informację, kiedy mogę się jej spodziewać.\n\n' +
        'Pozdrawiam\nŁukasz Kowalski\ntel. 601 234 567\n',
    );
    expect(mail.html).toContain('<div>Dzień dobry,</div>');
    expect(mail.attachments).toEqual([]);
    expect(mail.deliveryReport).toBeNull();
  });

  it('reads a multipart/mixed message with a PDF and a raw UTF-8 display name', async () => {
    const mail = await parseFixture('multipart-mixed-pdf.eml');

    expect(mail.from).toEqual({ address: 'sklep.lodz@example.pl', name: 'Sklep Łódź Manufaktura' });
    expect(mail.to).toEqual([{ address: 'stores@switchboard.local', name: null }]);
    expect(mail.text).toContain('Prosimy o wystawienie korekty na kwotę 149,00 zł.');
    expect(mail.html).toBeNull();
    expect(mail.attachments.map(withoutContent)).toEqual([
      {
        filename: 'faktura-FV-2025-01-118.pdf',
        contentType: 'application/pdf',
        size: 549,
        checksum: 'e348d75b0c00dec0fe742c5122b70e4acc312f3aca04cd6bccdce0de6c607c57',
        contentId: null,
        inline: false,
      },
    ]);
    expect(Buffer.from(mail.attachments[0]!.content).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
  });

  it('decodes a base64 body', async () => {
    const mail = await parseFixture('base64-body-utf8.eml');

    expect(mail.subject).toBe('Zwrot butów');
    expect(mail.from).toEqual({ address: 'anna.wisniewska@example.pl', name: 'Anna Wiśniewska' });
    expect(mail.text).toContain('chciałabym zwrócić buty z zamówienia 33418 – rozmiar 38 okazał się za mały.');
    expect(mail.text).toContain('Wysłane z iPhone’a');
  });

  it('decodes ISO-8859-2 body, subject and display name', async () => {
    const mail = await parseFixture('iso-8859-2-polish.eml');

    expect(mail.subject).toBe('Reklamacja żelazka');
    expect(mail.from).toEqual({ address: 'g.malecka@example.pl', name: 'Grażyna Małecka' });
    expect(mail.text).toContain('żelazko kupione 4 stycznia w sklepie w Łodzi przestało grzać po tygodniu');
    expect(mail.text).toContain('Z poważaniem\nGrażyna Małecka');
  });

  it('decodes Windows-1250, whose ą, ś and ź differ from ISO-8859-2', async () => {
    const mail = await parseFixture('windows-1250-polish.eml');

    expect(mail.subject).toBe('Zwrot pieniędzy za zamówienie 98765');
    expect(mail.from).toEqual({ address: 'p.wisniewski@example.pl', name: 'Paweł Wiśniewski' });
    expect(mail.text).toContain('Do dziś nie otrzymałem zwrotu pieniędzy.');
    expect(mail.text).toContain('wyjaśnienie, kiedy środki wrócą na moje konto.');
    expect(mail.messageId).toBe('<000001db8102$4a1b2c30$de518490$@example.pl>');
  });

  it('decodes ISO-8859-1 German', async () => {
    const mail = await parseFixture('iso-8859-1-german.eml');

    expect(mail.subject).toBe('Rücksendung Bestellung 44021');
    expect(mail.from).toEqual({ address: 'juergen.strasser@example.de', name: 'Jürgen Straßer' });
    expect(mail.text).toContain('ich möchte die Jacke aus meiner Bestellung 44021 zurückschicken, sie ist\nleider zu groß.');
    expect(mail.text).toContain('Mit freundlichen Grüßen\nJürgen Straßer');
  });

  it('derives the text of an HTML-only message from its HTML', async () => {
    const mail = await parseFixture('html-only.eml');

    expect(mail.html).toContain('<b>55120</b>');
    expect(mail.text).toContain('I would like to change the delivery address for order 55120');
    expect(mail.text).toContain('Thanks,\nEmma Clarke');
    expect(mail.text).not.toContain('<');
    expect(mail.to).toEqual([{ address: 'support@switchboard.local', name: 'Switchboard Support' }]);
  });

  it('derives the text from multipart/related HTML and marks the cid image inline', async () => {
    const mail = await parseFixture('inline-image-cid.eml');

    expect(mail.subject).toBe('Beschädigtes Paket 44190');
    expect(mail.text).toContain('das Paket mit der Bestellung 44190 kam beschädigt an, hier ein Foto:');
    expect(mail.text).toContain('Viele Grüße');
    expect(mail.html).toContain('src="cid:image001.png@01DB6C3A.2B6E1A90"');
    expect(mail.attachments.map(withoutContent)).toEqual([
      {
        filename: 'image001.png',
        contentType: 'image/png',
        size: 69,
        checksum: 'f93fe4f0d01bf8dad9fcb575a9ea3cd4d3d45dc4395f4e0889dccfddbe116bd2',
        contentId: 'image001.png@01DB6C3A.2B6E1A90',
        inline: true,
      },
    ]);
  });

  it('decodes RFC 2231 and encoded-word file names and names a part that has none', async () => {
    const mail = await parseFixture('attachment-rfc2231-name.eml');

    expect(mail.subject).toBe('Reklamacja ekspresu – zdjęcie paragonu');
    expect(mail.attachments.map(withoutContent)).toEqual([
      {
        filename: 'Zdjęcie_paragonu.jpg',
        contentType: 'image/jpeg',
        size: 134,
        checksum: '9650f149d622055c4b495e65e9148ebfc5e61b1bb00e83538e76afe48c496eaf',
        contentId: null,
        inline: false,
      },
      {
        filename: 'Rechnung März.pdf',
        contentType: 'application/pdf',
        size: 548,
        checksum: 'a47f374ea6a86ea1e4f661fad2f26205ca6216ccc5013425fa956ff29f08a992',
        contentId: null,
        inline: false,
      },
      {
        filename: 'attachment-3.png',
        contentType: 'image/png',
        size: 69,
        checksum: '048dda727c698cd61bd41fdd93939b5a715d023670ff117f6f9c4d5af6091fe3',
        contentId: null,
        inline: false,
      },
    ]);
    expect(mail.attachments[0]!.content).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(mail.attachments[0]!.content)).toBe(false);
  });

  it('accepts a Uint8Array view into a larger buffer', async () => {
    const bytes = fixture('plain-order-question-en.eml');
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 8);

    const mail = await parseInboundMail(padded.subarray(8, 8 + bytes.length));

    expect(mail.subject).toBe('When will order 77310 ship?');
  });
});

describe('parseInboundMail: ids, addresses, headers', () => {
  it('keeps the Polish reply thread: In-Reply-To, References oldest first, encoded To name', async () => {
    const mail = await parseFixture('reply-quoted-polish-gmail.eml');

    expect(mail.subject).toBe('Re: [CS-000123] Zamówienie 12345 – brak przesyłki');
    expect(mail.inReplyTo).toEqual(['<0107019456a1b2c3-d4e5f6a7-ack-000000@eu-central-1.amazonses.com>']);
    expect(mail.references).toEqual([
      '<CAJx7Qm8c1R5y+Vb2kT3=PzK0wq9E4sAq1uQ@mail.gmail.com>',
      '<0107019456a1b2c3-d4e5f6a7-ack-000000@eu-central-1.amazonses.com>',
    ]);
    expect(mail.to).toEqual([{ address: 'support@switchboard.local', name: 'Obsługa Klienta Switchboard' }]);
    expect(mail.text).toContain('> [ref:CS-000123:k3j9xq2m7a]');
  });

  it('splits comma-separated References and reads a folded Message-ID (Outlook)', async () => {
    const mail = await parseFixture('reply-quoted-german-outlook.eml');

    expect(mail.messageId).toBe('<DB9PR03MB7420C1D2E3F4A5B6C7D8E9F0A1B2C3D4@DB9PR03MB7420.eurprd03.prod.example.de>');
    expect(mail.references).toEqual([
      '<0107019488b7c6d5-e4f3a2b1-ack-000000@eu-central-1.amazonses.com>',
      '<01070194a1b2c3d4-e5f6a7b8-reply-000000@eu-central-1.amazonses.com>',
    ]);
    expect(mail.inReplyTo).toEqual(['<01070194a1b2c3d4-e5f6a7b8-reply-000000@eu-central-1.amazonses.com>']);
    expect(mail.subject).toBe('AW: [CS-000124] Rücksendung Bestellung 44021');
    expect(mail.headers['thread-topic']).toBe('[CS-000124] Rücksendung Bestellung 44021');
    expect(mail.headers['x-ms-has-attach']).toBe('');
    expect(mail.text).toContain('Betreff: [CS-000124] Rücksendung Bestellung 44021 [ref:CS-000124:7mq2c9x4vd]');
  });

  it('brackets bare ids and reads ids spread over folded lines (auto-reply)', async () => {
    const mail = await parseFixture('auto-reply.eml');

    expect(mail.inReplyTo).toEqual(['<01070194b2c3d4e5-f6a7b8c9-onboarding-000000@eu-central-1.amazonses.com>']);
    expect(mail.references).toEqual([
      '<01070194b2c3d4e5-f6a7b8c9-onboarding-000000@eu-central-1.amazonses.com>',
      '<helpdesk.48213.seed@example.com>',
      '<helpdesk.48213.thread@example.com>',
    ]);
    expect(mail.headers['auto-submitted']).toBe('auto-replied');
    expect(mail.headers['return-path']).toBe('<>');
    expect(mail.to).toEqual([{ address: 'partners@switchboard.local', name: null }]);
    expect(mail.deliveryReport).toBeNull();
  });

  it('normalizes ids with missing brackets, inner whitespace, commas and an old-style phrase', async () => {
    const raw = crlf(
      'From: a@example.com\n' +
        'Message-ID:   abc.123@example.com  \n' +
        'In-Reply-To: Your message of "Mon, 13 Jan 2025 11:02:00 +0100"\n <first@example.com>\n' +
        'References: <one@example.com>,<two@example.com>\n\t< three@example.com >  four@example.com <one@example.com>\n' +
        '\nbody\n',
    );

    const mail = await parseInboundMail(raw);

    expect(mail.messageId).toBe('<abc.123@example.com>');
    expect(mail.inReplyTo).toEqual(['<first@example.com>']);
    expect(mail.references).toEqual(['<one@example.com>', '<two@example.com>', '<three@example.com>', '<four@example.com>']);
  });

  it('lower-cases addresses, keeps display names, and reads Reply-To and Cc', async () => {
    const mail = await parseFixture('plain-order-question-en.eml');

    expect(mail.from).toEqual({ address: 'daniel.moore@example.com', name: 'Moore, Daniel' });
    expect(mail.replyTo).toEqual([{ address: 'daniel.moore+orders@example.com', name: 'Daniel Moore' }]);
    expect(mail.cc).toEqual([{ address: 'sarah.moore@example.com', name: 'Sarah Moore' }]);
    expect(mail.date).toBe('2025-02-15T22:45:03.000Z');
    expect(mail.text).toContain('the order status still says "processing"');
  });

  it('collects Delivered-To and X-Original-To in order, once each', async () => {
    const mail = await parseFixture('gdpr-erasure-pl.eml');

    expect(mail.deliveredTo).toEqual(['rodo@switchboard.local', 'support@switchboard.local']);
    expect(mail.to).toEqual([{ address: 'rodo@switchboard.local', name: null }]);
    expect(mail.subject).toBe('Żądanie usunięcia danych osobowych (RODO)');
  });

  it('reads every Delivered-To occurrence and flattens groups', async () => {
    const raw = crlf(
      'Delivered-To: <Support@Switchboard.local>\nX-Original-To: kontakt@switchboard.local\nDelivered-To: support@switchboard.local\n' +
        'From: a@example.com\nTo: Team: Jan <Jan@Example.PL>, ewa@example.pl;, undisclosed-recipients:;\n\nbody\n',
    );

    const mail = await parseInboundMail(raw);

    expect(mail.deliveredTo).toEqual(['support@switchboard.local', 'kontakt@switchboard.local']);
    expect(mail.to).toEqual([
      { address: 'jan@example.pl', name: 'Jan' },
      { address: 'ewa@example.pl', name: null },
    ]);
  });

  it('has no Message-ID and no date when the Date header cannot be read', async () => {
    const mail = await parseFixture('no-message-id.eml');

    expect(mail.messageId).toBeNull();
    expect(mail.date).toBeNull();
    expect(mail.headers['date']).toBe('15/01/2025 14:03');
    expect(mail.replyTo).toEqual([{ address: 'tomasz.dabrowski@example.pl', name: 'Tomasz Dąbrowski' }]);
    expect(mail.text).toContain('Wiadomość: Czy patelnia Kuchnia Pro 28 cm wróci do sprzedaży przed świętami?');
  });

  it('keeps the headers intake rules read, decoded, with lower-cased names', async () => {
    const newsletter = await parseFixture('newsletter-bulk.eml');
    const outOfOffice = await parseFixture('out-of-office-x-autoreply.eml');
    const spam = await parseFixture('ses-spam-verdict-fail.eml');
    const virus = await parseFixture('ses-virus-verdict-fail.eml');

    expect(newsletter.headers).toMatchObject({
      precedence: 'bulk',
      'list-id': 'Newsletter Kuchnia Pełna <newsletter.kuchnia.example.pl>',
      'list-unsubscribe': '<mailto:unsubscribe@kuchnia.example.pl?subject=unsubscribe-8f2a>, <https://kuchnia.example.pl/wypisz?u=8f2a>',
      'list-unsubscribe-post': 'List-Unsubscribe=One-Click',
      'content-type': 'multipart/alternative',
      from: '"Kuchnia Pełna" <newsletter@kuchnia.example.pl>',
      subject: 'Zimowa wyprzedaż – do -40%',
    });
    expect(outOfOffice.headers).toMatchObject({ 'x-autoreply': 'yes', 'x-autorespond': 'Poza biurem', precedence: 'auto_reply' });
    expect(outOfOffice.subject).toBe('Poza biurem: Zwrot pieniędzy za zamówienie 98765');
    expect(spam.headers).toMatchObject({ 'x-ses-spam-verdict': 'FAIL', 'x-ses-virus-verdict': 'PASS' });
    expect(spam.headers['authentication-results']).toBe('amazonses.com; spf=softfail; dkim=none; dmarc=none header.from=example.com;');
    expect(virus.headers).toMatchObject({ 'x-ses-spam-verdict': 'PASS', 'x-ses-virus-verdict': 'FAIL' });
    expect(virus.attachments.map((attachment) => [attachment.filename, attachment.contentType, attachment.size])).toEqual([
      ['Faktura_2025_01.zip', 'application/zip', 180],
    ]);
    expect(virus.attachments[0]!.checksum).toBe('16687953b9120dc9beef0350954cad45359cac383c2eefe31574fb2dcc4a6a14');
  });

  it('keeps the first occurrence of a repeated header, and a header named __proto__ as data', async () => {
    const raw = crlf('From: a@example.com\nX-Tag: first\nX-Tag: second\nReceived: by b\nReceived: by a\n__proto__: polluted\n\nbody\n');

    const mail = await parseInboundMail(raw);

    expect(mail.headers['x-tag']).toBe('first');
    expect(mail.headers['received']).toBe('by b');
    expect(Object.hasOwn(mail.headers, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(mail.headers)).toBe(Object.prototype);
  });

  it('decodes adjacent encoded words that split one character, and unknown charsets without throwing', async () => {
    const raw = crlf('From: a@example.com\nX-Name: =?UTF-8?B?xQ==?= =?UTF-8?B?gXVrYXN6?=\nX-Odd: =?x-unknown?Q?abc?= tail\n\nbody\n');

    const mail = await parseInboundMail(raw);

    expect(mail.headers['x-name']).toBe('Łukasz');
    expect(mail.headers['x-odd']).toBe('abc tail');
  });
});

describe('parseInboundMail: delivery reports', () => {
  it('reads an Amazon SES DSN and keeps its report parts as attachments', async () => {
    const mail = await parseFixture('bounce-ses-dsn.eml');

    expect(mail.from).toEqual({ address: 'mailer-daemon@amazonses.com', name: null });
    expect(mail.deliveryReport).toEqual({
      originalMessageId: '<0107018c-bounce-original@eu-central-1.amazonses.com>',
      recipients: ['nobody@example.com'],
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    });
    expect(mail.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([
      ['attachment-1.txt', 'message/delivery-status'],
      ['attachment-2.txt', 'text/rfc822-headers'],
    ]);
    expect(mail.text).toBe('An error occurred while trying to deliver the mail to the following recipients:\nnobody@example.com\n');
    expect(mail.text).not.toContain('Reporting-MTA');
  });

  it('reads a Postfix DSN: every recipient, the first failure, the id from the returned message/rfc822', async () => {
    const mail = await parseFixture('bounce-postfix-dsn-rfc822.eml');

    expect(mail.deliveryReport).toEqual({
      originalMessageId: '<01070194d5e6f7a8-postfix-original-000000@eu-central-1.amazonses.com>',
      recipients: ['klaus.becker@example.de', 'lena.fischer@example.de'],
      action: 'failed',
      status: '5.2.2',
      diagnostic: '552 5.2.2 Mailbox full',
    });
    expect(mail.from).toEqual({ address: 'mailer-daemon@mx.example.de', name: 'Mail Delivery System' });
    expect(mail.date).toBe('2025-02-04T10:20:00.000Z');
    expect(mail.deliveredTo).toEqual(['support@switchboard.local']);
    expect(mail.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([
      ['attachment-1.txt', 'message/delivery-status'],
      ['attachment-2.eml', 'message/rfc822'],
    ]);
  });

  it('reads a bounce that only quotes the original in its text (qmail)', async () => {
    const mail = await parseFixture('bounce-nonstandard-qmail.eml');

    expect(mail.deliveryReport).toEqual({
      originalMessageId: '<01070194e1f2a3b4-qmail-original-000000@eu-central-1.amazonses.com>',
      recipients: ['jan.nowak@example.com'],
      action: null,
      status: '5.1.1',
      diagnostic: null,
    });
  });

  it('reads an auto-generated "Undeliverable:" notice from an ordinary sender by its text', async () => {
    const raw = crlf(
      'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>\n' +
        'To: support@switchboard.local\nSubject: Undeliverable: [CS-000130] Ihre Anfrage\nAuto-Submitted: auto-generated\n\n' +
        'Delivery has failed to these recipients or groups:\n\nanna@example.com\n\n' +
        'Remote Server returned 550 5.1.10 RESOLVER.ADR.RecipientNotFound\n\n' +
        'Original message headers:\n\nMessage-ID: <01070194f0a1b2c3-exchange-original-000000@eu-central-1.amazonses.com>\n',
    );

    const mail = await parseInboundMail(raw);

    expect(mail.deliveryReport).toEqual({
      originalMessageId: '<01070194f0a1b2c3-exchange-original-000000@eu-central-1.amazonses.com>',
      recipients: [],
      action: null,
      status: '5.1.10',
      diagnostic: null,
    });
  });

  it('has no delivery report for a customer who writes about an undelivered parcel', async () => {
    const raw = crlf(
      'From: jan@example.pl\nTo: support@switchboard.local\nSubject: Undeliverable: my parcel\n\nMessage-ID: <x@y> was in your mail\n',
    );

    const mail = await parseInboundMail(raw);

    expect(mail.deliveryReport).toBeNull();
  });

  it.each([
    'multipart-alternative-gmail.eml',
    'auto-reply.eml',
    'out-of-office-x-autoreply.eml',
    'newsletter-bulk.eml',
    'ses-virus-verdict-fail.eml',
  ])('has no delivery report for %s', async (name) => {
    const mail = await parseFixture(name);

    expect(mail.deliveryReport).toBeNull();
  });
});

describe('parseInboundMail: damaged and hopeless input', () => {
  it('keeps the text and the part of the attachment that arrived when a message is cut off mid-base64', async () => {
    const mail = await parseFixture('truncated-base64-attachment.eml');

    expect(mail.text).toBe('Hi, the return label you sent is attached back to you with my signature.\n\nDaniel');
    expect(mail.attachments).toHaveLength(1);
    const [label] = mail.attachments;
    expect(label!.filename).toBe('return-label-77310.pdf');
    expect(label!.size).toBeGreaterThan(0);
    expect(label!.size).toBeLessThan(553);
    expect(Buffer.from(label!.content).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(label!.checksum).toBe(sha256(label!.content));
  });

  it.each([
    ['with the blank line', 'From: a@example.com\nTo: b@example.com\nSubject: Only headers\n\n'],
    ['without the blank line', 'From: a@example.com\nTo: b@example.com\nSubject: Only headers'],
  ])('parses a header-only message %s into an empty body', async (_, text) => {
    const mail = await parseInboundMail(crlf(text));

    expect(mail.subject).toBe('Only headers');
    expect(mail.text).toBe('');
    expect(mail.html).toBeNull();
    expect(mail.attachments).toEqual([]);
    expect(mail.messageId).toBeNull();
  });

  it.each([
    ['empty input', Buffer.alloc(0)],
    ['blank lines only', Buffer.from('\r\n\r\n  \r\n')],
  ])('refuses %s as empty', async (_, raw) => {
    await expect(parseInboundMail(raw)).rejects.toThrow(UnparseableMailError);
    await expect(parseInboundMail(raw)).rejects.toThrow(/empty/);
  });

  it('refuses binary garbage and plain text as not a mail message', async () => {
    const garbage = Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 37 + 11) % 256));
    const prose = Buffer.from('hello, this is just a note\nwith: a colon in it\n');

    await expect(parseInboundMail(garbage)).rejects.toThrow(UnparseableMailError);
    await expect(parseInboundMail(prose)).rejects.toThrow(/not a mail message/);
  });

  it('wraps a parser failure in UnparseableMailError with the cause', async () => {
    const hugeHeader = Buffer.concat([
      Buffer.from('From: a@example.com\r\nX-Big: '),
      Buffer.alloc(1_100_000, 0x61),
      Buffer.from('\r\n\r\nbody\r\n'),
    ]);

    const error = await parseInboundMail(hugeHeader).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UnparseableMailError);
    expect((error as UnparseableMailError).name).toBe('UnparseableMailError');
    expect((error as UnparseableMailError).cause).toBeInstanceOf(Error);
  });
});
