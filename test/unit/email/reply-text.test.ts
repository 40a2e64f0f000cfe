import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '#email/adapters/mime/parse-inbound-mail';
import { extractReplyText, findReferenceTokens } from '#email/domain/reply-text';

const fixtureText = async (name: string): Promise<string> =>
  (await parseInboundMail(readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url)))).text;

const lines = (...content: string[]): string => content.join('\n');

describe('extractReplyText on fixture replies', () => {
  it('cuts a Polish Gmail reply at its two-line "W dniu … napisał(a):" attribution', async () => {
    const text = await fixtureText('reply-quoted-polish-gmail.eml');

    const reply = extractReplyText(text);

    expect(reply).toBe(
      lines(
        'Dziękuję za szybką odpowiedź. Paczka nadal nie dotarła, numer przesyłki',
        'to 6200123456789. Czy mogą Państwo wysłać zamówienie ponownie?',
        '',
        'Łukasz',
      ),
    );
  });

  it('cuts a German Outlook reply at the rule above its "Von:/Gesendet:/Betreff:" block', async () => {
    const text = await fixtureText('reply-quoted-german-outlook.eml');

    const reply = extractReplyText(text);

    expect(reply).toBe(
      lines(
        'Hallo,',
        '',
        'die Rücksendung ist heute per DHL rausgegangen, die Sendungsnummer ist',
        '00340434161234567890.',
        '',
        'Viele Grüße',
        'Jürgen Straßer',
      ),
    );
  });

  it('leaves a message without history as it is, trailing blank lines trimmed', async () => {
    const text = await fixtureText('gdpr-erasure-pl.eml');

    const reply = extractReplyText(text);

    expect(reply).toBe(text.trimEnd());
    expect(reply.endsWith('Katarzyna Zielińska')).toBe(true);
  });
});

describe('extractReplyText: attribution lines', () => {
  it.each([
    ['English Gmail', 'On Mon, 13 Jan 2025 at 11:02, Switchboard Support <support@switchboard.local> wrote:'],
    ['English Thunderbird', 'On 1/13/25 11:02 AM, Switchboard Support wrote:'],
    ['Polish Gmail', 'W dniu pon., 13 sty 2025 o 11:02 Obsługa Klienta <support@switchboard.local> napisał(a):'],
    ['Polish Thunderbird', 'W dniu 13.01.2025 o 11:02, Obsługa Klienta pisze:'],
    ['Polish "Dnia"', 'Dnia 13.01.2025 o 11:02 Obsługa Klienta <support@switchboard.local> napisał(a):'],
    ['German Gmail', 'Am Mo., 13. Jan. 2025 um 11:02 Uhr schrieb Kundenservice <support@switchboard.local>:'],
    ['German Thunderbird', 'Am 13.01.25 um 11:02 schrieb Kundenservice:'],
    ['Slovak Gmail', 'Dňa po 13. 1. 2025 o 11:02 Zákaznícky servis <support@switchboard.local> napísal(a):'],
    ['Finnish Gmail', 'ma 13.1.2025 klo 11.02 Asiakaspalvelu (<support@switchboard.local>) kirjoitti:'],
  ])('cuts at the %s attribution', (_, attribution) => {
    const text = lines('Thanks, that helps.', '', attribution, '', '> Earlier message', '> [ref:CS-000123:k3j9xq2m7a]', '');

    const reply = extractReplyText(text);

    expect(reply).toBe('Thanks, that helps.');
  });

  it('cuts at an English attribution Gmail wrapped over two lines', () => {
    const text = lines(
      'Yes, please send it again.',
      '',
      'On Mon, 13 Jan 2025 at 11:02, Switchboard Customer Support Team <',
      'support@switchboard.local> wrote:',
      '',
      '> We are sorry for the delay.',
    );

    const reply = extractReplyText(text);

    expect(reply).toBe('Yes, please send it again.');
  });

  it('keeps a sentence that merely ends in "wrote:" when it names no date or address', () => {
    const text = lines('On reflection, here is what my neighbour wrote:', '', 'The parcel was left at the door.');

    const reply = extractReplyText(text);

    expect(reply).toBe(text);
  });

  it('cuts history a client wrote without ">" after the attribution (Yahoo style)', () => {
    const text = lines(
      'Thank you.',
      '',
      'On Monday, 13 January 2025 at 11:02:00 CET, Switchboard Support <support@switchboard.local> wrote:',
      '',
      'Dear customer, your refund was issued.',
    );

    const reply = extractReplyText(text);

    expect(reply).toBe('Thank you.');
  });

  it('keeps answers written below or between the quotes', () => {
    const text = lines(
      'On Mon, 13 Jan 2025 at 11:02, Switchboard Support <support@switchboard.local> wrote:',
      '> What is your order number?',
      '77310',
      '> And the postcode?',
      'NW1 6XE',
    );

    const reply = extractReplyText(text);

    expect(reply).toBe(lines('77310', 'NW1 6XE'));
  });
});

describe('extractReplyText: Outlook separators and header blocks', () => {
  it.each([
    '-----Original Message-----',
    '-----Ursprüngliche Nachricht-----',
    '-----Wiadomość oryginalna-----',
    '-------- Original message --------',
  ])('cuts at "%s"', (separator) => {
    const text = lines(
      'Bitte um Rückruf.',
      '',
      separator,
      'From: Support <support@switchboard.local>',
      'Subject: Ihre Anfrage',
      '',
      'Old text',
    );

    const reply = extractReplyText(text);

    expect(reply).toBe('Bitte um Rückruf.');
  });

  it.each([
    [
      'English Outlook for Windows',
      [
        'From: Support <support@switchboard.local>',
        'Sent: Monday, January 13, 2025 11:02 AM',
        'To: Jan Nowak <jan@example.pl>',
        'Subject: RE: Order 12345',
      ],
    ],
    [
      'Outlook for Mac',
      [
        'From: Support <support@switchboard.local>',
        'Date: Monday, 13 January 2025 at 11:02',
        'To: Jan Nowak <jan@example.pl>',
        'Subject: Order 12345',
      ],
    ],
    [
      'Polish Outlook',
      [
        'Od: Obsługa Klienta <support@switchboard.local>',
        'Wysłano: poniedziałek, 13 stycznia 2025 11:02',
        'Do: Jan Nowak <jan@example.pl>',
        'Temat: RE: Zamówienie 12345',
      ],
    ],
    [
      'German Outlook',
      [
        'Von: Kundenservice <support@switchboard.local>',
        'Gesendet: Montag, 13. Januar 2025 11:02',
        'An: Jan Nowak <jan@example.pl>',
        'Cc: Anna <anna@example.de>',
        'Betreff: AW: Bestellung 12345',
      ],
    ],
  ])('cuts at the %s header block and the rule above it', (_, block) => {
    const text = lines('Dziękuję, wszystko jasne.', '', '________________________________', ...block, '', 'Old text');

    const reply = extractReplyText(text);

    expect(reply).toBe('Dziękuję, wszystko jasne.');
  });

  it('does not take a customer\'s own "From:" line for a header block', () => {
    const text = lines('From: Warsaw, parcel 6200123456789', 'To: Kraków', 'It has not moved since Monday.');

    const reply = extractReplyText(text);

    expect(reply).toBe(text);
  });
});

describe('extractReplyText: forwards, signatures, quotes', () => {
  it('keeps an Apple Mail forward whole, its header block included', () => {
    const text = lines(
      'Please see the message from the courier below.',
      '',
      'Begin forwarded message:',
      '',
      'From: Courier <noreply@example.com>',
      'Subject: Delivery attempt failed',
      'Date: 13 January 2025 at 11:02:00 CET',
      'To: jan@example.pl',
      '',
      'We could not deliver parcel 6200123456789.',
    );

    const reply = extractReplyText(text);

    expect(reply).toBe(text);
  });

  it('keeps a Gmail forward whole', () => {
    const text = lines(
      'FYI',
      '',
      '---------- Forwarded message ---------',
      'From: Shop <orders@example.com>',
      'Date: Mon, 13 Jan 2025 at 11:02',
      'Subject: Order 12345',
      'To: <jan@example.pl>',
      '',
      '> quoted inside the forward stays too',
    );

    const reply = extractReplyText(text);

    expect(reply).toBe(text);
  });

  it('cuts the signature at its "-- " delimiter', () => {
    const text = lines('Where is my parcel?', '', '-- ', 'Jan Nowak', 'ACME Sp. z o.o.', 'tel. 601 234 567');

    const reply = extractReplyText(text);

    expect(reply).toBe('Where is my parcel?');
  });

  it('cuts at a "--" delimiter whose trailing space was stripped', () => {
    const text = lines('Where is my parcel?', '--', 'Jan Nowak');

    const reply = extractReplyText(text);

    expect(reply).toBe('Where is my parcel?');
  });

  it('drops a signature above a forward but keeps the forward', () => {
    const text = lines(
      'See below.',
      '-- ',
      'Jan Nowak',
      '',
      'Begin forwarded message:',
      '',
      'From: Courier <noreply@example.com>',
      'Parcel returned.',
    );

    const reply = extractReplyText(text);

    expect(reply).toBe(lines('See below.', 'Begin forwarded message:', '', 'From: Courier <noreply@example.com>', 'Parcel returned.'));
  });

  it('removes ">" quoted lines wherever they are', () => {
    const text = lines('> Did the parcel arrive?', 'No, it did not.', '>', '> Anything else?', 'Yes: the invoice.');

    const reply = extractReplyText(text);

    expect(reply).toBe(lines('No, it did not.', 'Yes: the invoice.'));
  });

  it('returns the original text trimmed when it is nothing but a quote', () => {
    const text = lines(
      '',
      'On Mon, 13 Jan 2025 at 11:02, Support <support@switchboard.local> wrote:',
      '> Hello',
      '> [ref:CS-000123:k3j9xq2m7a]',
      '',
      '',
    );

    const reply = extractReplyText(text);

    expect(reply).toBe(text.trim());
  });

  it('handles CRLF line endings and trims trailing whitespace lines', () => {
    const text = 'Hello,\r\nthanks!\r\n   \r\n\t\r\n> old\r\n';

    const reply = extractReplyText(text);

    expect(reply).toBe('Hello,\nthanks!');
  });

  it('keeps every inline answer among thousands of attributed quotes', () => {
    const text = Array.from(
      { length: 5_000 },
      (_, index) => `On ${index} Jan 2025 someone <a@b.c> wrote:\n> q${index}\nanswer ${index}`,
    ).join('\n');

    const reply = extractReplyText(text);

    expect(reply.split('\n')).toHaveLength(5_000);
    expect(reply.startsWith('answer 0\nanswer 1')).toBe(true);
  });
});

describe('findReferenceTokens', () => {
  it('finds the marker in the quoted history of a fixture reply', async () => {
    const text = await fixtureText('reply-quoted-polish-gmail.eml');

    const tokens = findReferenceTokens(text);

    expect(tokens).toEqual([{ caseNumber: 'CS-000123', token: 'k3j9xq2m7a' }]);
  });

  it('returns unique markers in order of first appearance', () => {
    const text = lines(
      'See [ref:CS-000124:7mq2c9x4vd] and',
      '> [ref:CS-000123:k3j9xq2m7a]',
      '> > [ref:CS-000124:7mq2c9x4vd]',
      'and the big one [ref:CS-1234567:0123456789]',
    );

    const tokens = findReferenceTokens(text);

    expect(tokens).toEqual([
      { caseNumber: 'CS-000124', token: '7mq2c9x4vd' },
      { caseNumber: 'CS-000123', token: 'k3j9xq2m7a' },
      { caseNumber: 'CS-1234567', token: '0123456789' },
    ]);
  });

  it('matches the prefix case-insensitively and normalizes the parts', () => {
    const tokens = findReferenceTokens('AW: [REF:cs-000123:K3J9XQ2M7A]');

    expect(tokens).toEqual([{ caseNumber: 'CS-000123', token: 'k3j9xq2m7a' }]);
  });

  it('finds a marker a quoting client broke after a colon', () => {
    const text = lines('> Ihre Referenz: [ref:CS-000123:', '> k3j9xq2m7a]', 'and [ref:', '>> CS-000124:7mq2c9x4vd]');

    const tokens = findReferenceTokens(text);

    expect(tokens).toEqual([
      { caseNumber: 'CS-000123', token: 'k3j9xq2m7a' },
      { caseNumber: 'CS-000124', token: '7mq2c9x4vd' },
    ]);
  });

  it.each([
    ['a token with i, l, o or u', '[ref:CS-000123:k3j9xq2m7i]'],
    ['a nine-character token', '[ref:CS-000123:k3j9xq2m7]'],
    ['an eleven-character token', '[ref:CS-000123:k3j9xq2m7ab]'],
    ['five digits', '[ref:CS-00123:k3j9xq2m7a]'],
    ['another prefix', '[ref:XS-000123:k3j9xq2m7a]'],
    ['a break inside the token', '[ref:CS-000123:k3j9x\n> q2m7a]'],
  ])('ignores %s', (_, text) => {
    expect(findReferenceTokens(text)).toEqual([]);
  });
});

describe('extractReplyText with email-reply-parser on top of our rules', () => {
  it.each([
    [
      'Dutch',
      'Bedankt, het pakket is binnen.\n\nOp ma 13 jan. 2025 om 11:02 schreef Support <support@example.com>:\n> Uw pakket is onderweg.',
    ],
    ['French', "Merci, c'est reçu.\n\nLe lun. 13 janv. 2025 à 11:02, Support <support@example.com> a écrit :\n> Votre colis est en route."],
    [
      'Italian',
      'Grazie, ricevuto.\n\nIl giorno lun 13 gen 2025 alle ore 11:02 Support <support@example.com> ha scritto:\n> Il pacco è in viaggio.',
    ],
    [
      'Android "Original message"',
      'Thanks, got it.\n\n-------- Original message --------\nFrom: Support <support@example.com>\nDate: 13/01/2025 11:02\nYour parcel is on its way.',
    ],
  ])('cuts a %s attribution and what follows', (_language, text) => {
    const reply = extractReplyText(text);

    expect(reply.split('\n')).toHaveLength(1);
    expect(reply).not.toMatch(/support@example\.com|onderweg|en route|viaggio|on its way/);
  });

  it('keeps a forward whole, which the library alone would cut', () => {
    const text = 'See below.\n\n---------- Forwarded message ---------\nFrom: Shop <shop@example.com>\n> order 123';

    expect(extractReplyText(text)).toContain('order 123');
  });
});
