import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '#email/adapters/mime/parse-inbound-mail';
import { senderVerdict } from '#email/domain/authentication';
import { stampAuthenticationResults } from '#local/authentication-stamp';

const message = (extraHeaders: string) =>
  Buffer.from(
    `From: Anna <anna@example.com>\r\nTo: support@switchboard.local\r\n${extraHeaders}Subject: Hello\r\nMessage-ID: <m@example.com>\r\n\r\nX-Switchboard-Local-Verdict: in the body stays\r\n`,
    'utf8',
  );

describe('stampAuthenticationResults (the local SMTP stand-in)', () => {
  it('puts a passing SES Authentication-Results on top, aligned with the From domain', async () => {
    const stamped = stampAuthenticationResults(message(''), 'bounce@example.com');

    expect(stamped.toString('utf8')).toMatch(/^Authentication-Results: amazonses\.com; spf=pass smtp\.mailfrom=bounce@example\.com;/);
    const mail = await parseInboundMail(stamped);
    expect(mail.subject).toBe('Hello');
    expect(senderVerdict(mail.headers['authentication-results'], 'anna@example.com')).toEqual({ verified: true, by: 'dmarc' });
  });

  it('honours X-Switchboard-Local-Verdict (any subset, folded too) and removes it, leaving the body alone', async () => {
    const stamped = stampAuthenticationResults(message('X-Switchboard-Local-Verdict: spf=fail\r\n dmarc=fail\r\n'), null);

    const text = stamped.toString('utf8');
    expect(text).toContain('spf=fail smtp.mailfrom=sender@example.com');
    expect(text).toContain('dkim=pass header.d=example.com');
    expect(text).toContain('dmarc=fail header.from=example.com');
    expect(text.split('\r\n\r\n')[0]).not.toMatch(/x-switchboard-local-verdict/i);
    expect(text).toContain('\r\n\r\nX-Switchboard-Local-Verdict: in the body stays\r\n');
    const mail = await parseInboundMail(stamped);
    expect(senderVerdict(mail.headers['authentication-results'], 'anna@example.com')).toEqual({ verified: false, reason: 'dmarc=fail' });
  });

  it('lets dmarc=none through, so a domain without DMARC is judged by its aligned SPF or DKIM pass', async () => {
    const mail = await parseInboundMail(stampAuthenticationResults(message('X-Switchboard-Local-Verdict: dmarc=none\r\n'), null));

    expect(senderVerdict(mail.headers['authentication-results'], 'anna@example.com')).toEqual({ verified: true, by: 'spf' });
  });
});
