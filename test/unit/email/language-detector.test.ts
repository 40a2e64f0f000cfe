import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { francLanguageDetector } from '#email/adapters/language/franc-language-detector';
import { parseInboundMail } from '#email/adapters/mime/parse-inbound-mail';
import { extractReplyText } from '#email/domain/reply-text';

/** The new text of a fixture, as intake will hand it to the detector. */
const fixtureReply = async (name: string): Promise<string> =>
  extractReplyText((await parseInboundMail(readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url)))).text);

describe('francLanguageDetector on fixture texts', () => {
  it.each([
    ['gdpr-erasure-pl.eml', 'pl'],
    ['multipart-alternative-gmail.eml', 'pl'],
    ['iso-8859-2-polish.eml', 'pl'],
    ['windows-1250-polish.eml', 'pl'],
    ['reply-quoted-polish-gmail.eml', 'pl'],
    ['gdpr-access-en.eml', 'en'],
    ['plain-order-question-en.eml', 'en'],
    ['html-only.eml', 'en'],
    ['gdpr-dsgvo-de.eml', 'de'],
    ['iso-8859-1-german.eml', 'de'],
    ['reply-quoted-german-outlook.eml', 'de'],
    ['gdpr-vymaz-sk.eml', 'sk'],
    ['gdpr-tietosuoja-fi.eml', 'fi'],
  ])('reads %s as %s', async (name, language) => {
    const text = await fixtureReply(name);

    const detected = francLanguageDetector.detect(text);

    expect(detected).toBe(language);
  });
});

describe('francLanguageDetector', () => {
  it('tells Czech from Slovak', () => {
    const czech = 'Dobrý den, v souladu s článkem 17 nařízení GDPR žádám o výmaz všech mých osobních údajů, které o mně zpracováváte.';
    const slovak = 'Dobrý deň, v zmysle článku 17 nariadenia GDPR žiadam o výmaz všetkých mojich osobných údajov, ktoré o mne spracúvate.';

    expect(francLanguageDetector.detect(czech)).toBe('cs');
    expect(francLanguageDetector.detect(slovak)).toBe('sk');
  });

  it.each([
    ['an empty text', ''],
    ['a one-word thank-you', 'Dziękuję!'],
    ['a short sign-off', 'Danke, Jan'],
    ['digits and punctuation', '12345 / 6200123456789 -- 601 234 567 !!!'],
    [
      'only a URL, an address and a marker',
      'https://kuchnia.example.pl/wyprzedaz?utm_source=newsletter jan.kowalski@example.pl [ref:CS-000123:k3j9xq2m7a]',
    ],
  ])('answers null for %s', (_, text) => {
    expect(francLanguageDetector.detect(text)).toBeNull();
  });

  it('ignores URLs, addresses and markers that would otherwise outweigh a short Polish sentence', () => {
    const text =
      'Proszę o pilny kontakt w sprawie zwrotu pieniędzy. ' +
      'https://www.example.com/the-quick-brown-fox/jumps-over-the-lazy-dog/and-keeps-running-through-the-english-countryside ' +
      'customer.service.department.english@example.com [ref:CS-000123:k3j9xq2m7a]';

    expect(francLanguageDetector.detect(text)).toBe('pl');
  });
});
