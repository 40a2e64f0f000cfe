import { describe, expect, it } from 'vitest';
import { acknowledgementText } from '#email/domain/acknowledgement';
import { automationOf, isBounce, scanVerdict } from '#email/domain/automation';
import { classify, DEFAULT_CLASSIFICATION_RULES } from '#email/domain/classification';
import type { InboundMail } from '#email/domain/inbound-mail';
import { mailboxOf, senderAddressOf } from '#email/domain/mail-settings';
import { caseNumbersInSubject, referenceMarker, replySubject } from '#email/domain/reference';
import { DEMO_MAIL_SETTINGS } from '../../support/demo-settings.js';

function mail(overrides: Partial<InboundMail> = {}): InboundMail {
  return {
    messageId: '<m1@example.pl>',
    inReplyTo: [],
    references: [],
    from: { address: 'anna@example.pl', name: 'Anna' },
    fromAsWritten: null,
    replyTo: [],
    to: [{ address: 'support@switchboard.local', name: null }],
    cc: [],
    deliveredTo: [],
    subject: 'Pytanie',
    date: null,
    text: 'Dzień dobry',
    html: null,
    headers: {},
    attachments: [],
    deliveryReport: null,
    ...overrides,
  };
}

describe('automationOf', () => {
  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'auto-submitted'],
    [{ precedence: 'bulk' }, 'precedence'],
    [{ precedence: 'list' }, 'precedence'],
    [{ 'x-autoreply': 'yes' }, 'x-autoreply'],
    [{ 'list-id': '<news.shop.example>' }, 'mailing list'],
  ])('recognizes %o as automated', (headers, reason) => {
    expect(automationOf(mail({ headers }), DEMO_MAIL_SETTINGS)).toContain(reason);
  });

  it('treats Auto-Submitted: no and ordinary mail as a person writing', () => {
    expect(automationOf(mail({ headers: { 'auto-submitted': 'no' } }), DEMO_MAIL_SETTINGS)).toBeNull();
    expect(automationOf(mail(), DEMO_MAIL_SETTINGS)).toBeNull();
  });

  it('never answers mail servers or our own addresses', () => {
    expect(automationOf(mail({ from: { address: 'mailer-daemon@mx.example.com', name: null } }), DEMO_MAIL_SETTINGS)).toContain(
      'system sender',
    );
    expect(automationOf(mail({ from: { address: 'stores@switchboard.local', name: null } }), DEMO_MAIL_SETTINGS)).toBe('our own address');
  });

  it('reads mail from postmaster@ that is no delivery-status report as a person writing', () => {
    const fromPostmaster = mail({ from: { address: 'postmaster@example.com', name: null }, subject: 'Undelivered parcel' });

    expect(automationOf(fromPostmaster, DEMO_MAIL_SETTINGS)).toBeNull();
    expect(isBounce(fromPostmaster)).toBe(false);
  });

  it('tells bounces and SES verdicts', () => {
    expect(
      isBounce(
        mail({ deliveryReport: { originalMessageId: '<x@y>', recipients: [], action: 'failed', status: '5.1.1', diagnostic: null } }),
      ),
    ).toBe(true);
    expect(
      isBounce(mail({ from: { address: 'mailer-daemon@mx.example.com', name: null }, subject: 'Undelivered Mail Returned to Sender' })),
    ).toBe(true);
    expect(isBounce(mail({ subject: 'Undeliverable: my parcel never came' }))).toBe(false);
    expect(scanVerdict(mail({ headers: { 'x-ses-virus-verdict': 'FAIL', 'x-ses-spam-verdict': 'PASS' } }))).toBe('virus');
    expect(scanVerdict(mail({ headers: { 'x-ses-spam-verdict': 'FAIL' } }))).toBe('spam');
    expect(scanVerdict(mail({ headers: { 'x-ses-spam-verdict': 'PASS' } }))).toBeNull();
  });
});

describe('classify', () => {
  it.each([
    ['Proszę o usunięcie moich danych osobowych zgodnie z RODO.', 'pl'],
    ['I want to exercise my right to erasure under GDPR.', 'en'],
    ['Bitte um Löschung meiner Daten nach DSGVO.', 'de'],
    ['Žiadam o výmaz mojich osobných údajov.', 'sk'],
    ['Pyydän tietojen poistoa, tietosuoja on minulle tärkeä.', 'fi'],
  ])('makes "%s" (%s) an urgent privacy request', (text) => {
    expect(classify('Request', text, DEFAULT_CLASSIFICATION_RULES)).toMatchObject({
      priority: 'urgent',
      category: 'privacy',
      tags: ['gdpr'],
    });
  });

  it('leaves an ordinary question unclassified', () => {
    expect(classify('Order 1234', 'Where is my parcel?', DEFAULT_CLASSIFICATION_RULES)).toEqual({
      priority: null,
      category: null,
      tags: [],
      rules: [],
    });
  });
});

describe('addresses, subjects and acknowledgements', () => {
  it('maps our recipient to its queue, any other address at the domain to the default, and plus-addressing to its base', () => {
    expect(mailboxOf(DEMO_MAIL_SETTINGS, ['someone@example.com', 'Partners@Switchboard.local'])).toEqual({
      address: 'partners@switchboard.local',
      queue: 'marketplace',
    });
    expect(mailboxOf(DEMO_MAIL_SETTINGS, ['faktury@switchboard.local'])).toEqual({
      address: 'faktury@switchboard.local',
      queue: 'other',
    });
    expect(mailboxOf(DEMO_MAIL_SETTINGS, ['support+vip@switchboard.local']).queue).toBe('customers');
    expect(senderAddressOf(DEMO_MAIL_SETTINGS, 'marketplace')).toBe('partners@switchboard.local');
  });

  it('builds reply subjects without piling up prefixes or tags', () => {
    expect(replySubject('CS-000042', 'AW: Re: Odp: Rechnung [CS-000042]')).toBe('Re: Rechnung [CS-000042]');
    expect(caseNumbersInSubject('Re: [cs-000042] and [CS-000043] and CS-000044')).toEqual(['CS-000042', 'CS-000043']);
    expect(referenceMarker('CS-000042', 'abcdefghjk')).toBe('[ref:CS-000042:abcdefghjk]');
  });

  it('acknowledges in Polish, English or German, and in English otherwise', () => {
    expect(acknowledgementText('pl', 'CS-000001').text).toContain('zgłoszenie CS-000001');
    expect(acknowledgementText('de', 'CS-000001').subject).toBe('Wir haben Ihre Anfrage erhalten');
    expect(acknowledgementText('fi', 'CS-000001')).toMatchObject({ language: 'en', subject: 'We have received your request' });
    expect(acknowledgementText(null, 'CS-000001').language).toBe('en');
  });
});
