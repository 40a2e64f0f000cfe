import { describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/api-client.js';
import { caseDetail, casesOf, eventually, fixture, outboundTo, sendRaw } from '../support/mail.js';

let sequence = 0;

/** Sends a fixture over SMTP from a fresh sender and returns the case it opened, with its messages. */
async function throughSmtp(name: string, to = 'support@switchboard.local'): Promise<{ from: string; detail: any }> {
  sequence += 1;
  const from = uniqueEmail(name.replace(/\.eml$/, ''));
  await sendRaw(fixture(name, { from, messageId: `<fixture-${sequence}-${Date.now()}@example.com>` }), { from, to: [to] });
  const [opened] = await eventually(async () => {
    const cases = await casesOf(from);
    return cases.length > 0 ? cases : undefined;
  }, `the case of ${name}`);
  return { from, detail: await caseDetail(opened.id) };
}

describe('every kind of real-world MIME, end to end over SMTP', () => {
  it.each([
    ['multipart-alternative-gmail.eml', 'Zamówienie 12345 – brak przesyłki', 'Dzień dobry'],
    ['base64-body-utf8.eml', 'Zwrot butów', 'rozmiar 38 okazał się za mały'],
    ['iso-8859-2-polish.eml', 'Reklamacja żelazka', 'przestało grzać po tygodniu'],
    ['windows-1250-polish.eml', 'Zwrot pieniędzy za zamówienie 98765', 'Do dziś nie otrzymałem zwrotu pieniędzy.'],
    ['iso-8859-1-german.eml', 'Rücksendung Bestellung 44021', 'Mit freundlichen Grüßen'],
    ['html-only.eml', null, 'I would like to change the delivery address for order 55120'],
    ['inline-image-cid.eml', 'Beschädigtes Paket 44190', 'kam beschädigt an'],
    ['multipart-mixed-pdf.eml', null, 'Prosimy o wystawienie korekty na kwotę 149,00 zł.'],
    ['truncated-base64-attachment.eml', null, null],
    ['no-message-id.eml', null, 'Czy patelnia Kuchnia Pro 28 cm wróci do sprzedaży przed świętami?'],
  ])('%s decodes to the subject and text a person wrote', async (name, subject, text) => {
    const { detail } = await throughSmtp(name);
    const [message] = detail.messages;

    expect(message.direction).toBe('inbound');
    if (subject) expect(message.subject).toBe(subject);
    if (text) expect(message.text).toContain(text);
    expect(message.text).not.toContain('\uFFFD');
  });

  it('stores the new part of a quoted reply only, and keeps inline images and attachments apart', async () => {
    const { detail: polish } = await throughSmtp('reply-quoted-polish-gmail.eml');
    const { detail: withImage } = await throughSmtp('inline-image-cid.eml');

    expect(polish.messages[0].text).not.toMatch(/^>/m);
    expect(polish.messages[0].text).not.toMatch(/napisał/);
    expect(withImage.messages[0].attachments.some((attachment: any) => attachment.inline)).toBe(true);
  });

  // auto-reply.eml names a case number: it is recorded on that case or dropped, never a case of its
  // own (see email-sender-proof.test.ts).
  it.each([['out-of-office-x-autoreply.eml'], ['newsletter-bulk.eml']])('%s is recorded but never acknowledged', async (name) => {
    const { from, detail } = await throughSmtp(name);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(detail.messages[0].automation).not.toBeNull();
    expect(await outboundTo(from)).toHaveLength(0);
  });

  it('files a quarantined case for a virus verdict', async () => {
    const { detail } = await throughSmtp('ses-virus-verdict-fail.eml');

    expect(detail.status).toBe('quarantined');
    expect(detail.messages[0].automation).toContain('virus');
  });
});
