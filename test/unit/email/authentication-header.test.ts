import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '#email/adapters/mime/parse-inbound-mail';
import { senderVerdict } from '#email/domain/authentication';

const crlf = (text: string): Buffer => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');

describe('the Authentication-Results header the intake reads', () => {
  it('is the topmost one, SES’s, not one the sender wrote further down', async () => {
    const mail = await parseInboundMail(
      crlf(`Authentication-Results: amazonses.com; spf=fail smtp.mailfrom=x@evil.example;
 dkim=fail header.d=evil.example; dmarc=fail header.from=example.com
Received: from mx.evil.example
Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass header.from=example.com
From: Anna <anna@example.com>
To: support@switchboard.local
Subject: [CS-000001] let me in
Message-ID: <forged@evil.example>

Hello
`),
    );

    expect(mail.headers['authentication-results']).toContain('dmarc=fail');
    expect(senderVerdict(mail.headers['authentication-results'], 'anna@example.com')).toEqual({ verified: false, reason: 'dmarc=fail' });
  });
});
