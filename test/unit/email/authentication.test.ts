import { describe, expect, it } from 'vitest';
import { aligned, parseAuthenticationResults, senderVerdict } from '#email/domain/authentication';

/** The shape SES writes: envelope-from and helo as items of their own, comments holding `;` and `:`. */
const SES_PASS =
  'amazonses.com; spf=pass (spfCheck: domain of example.com designates 192.0.2.1 as permitted sender; ok) client-ip=192.0.2.1; envelope-from=anna@example.com; helo=mail.example.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com;';

describe('parseAuthenticationResults', () => {
  it('reads the authserv-id, each method with its result, and properties SES writes as items of their own', () => {
    const parsed = parseAuthenticationResults(SES_PASS);

    expect(parsed?.authservId).toBe('amazonses.com');
    expect(parsed?.results).toEqual([
      {
        method: 'spf',
        result: 'pass',
        properties: { 'client-ip': '192.0.2.1', 'envelope-from': 'anna@example.com', helo: 'mail.example.com' },
      },
      { method: 'dkim', result: 'pass', properties: { 'header.i': '@example.com' } },
      { method: 'dmarc', result: 'pass', properties: { 'header.from': 'example.com' } },
    ]);
  });

  it('keeps several results of one method, lower-cases results, and ignores comments and a version', () => {
    const parsed = parseAuthenticationResults(
      'AmazonSES.com 1; dkim=PASS (good (nested; sig)) header.d=a.example; dkim=fail header.d="b.example"; dmarc=none',
    );

    expect(parsed?.authservId).toBe('amazonses.com');
    expect(parsed?.results.map((r) => [r.method, r.result, r.properties['header.d'] ?? null])).toEqual([
      ['dkim', 'pass', 'a.example'],
      ['dkim', 'fail', 'b.example'],
      ['dmarc', 'none', null],
    ]);
  });

  it('refuses a value without an authserv-id', () => {
    expect(parseAuthenticationResults('spf=pass smtp.mailfrom=a@example.com')).toBeNull();
    expect(parseAuthenticationResults('')).toBeNull();
  });
});

describe('senderVerdict', () => {
  it('accepts a DMARC pass', () => {
    expect(senderVerdict(SES_PASS, 'anna@example.com')).toEqual({ verified: true, by: 'dmarc' });
  });

  it('refuses a DMARC failure even with SPF and DKIM passing for other domains', () => {
    expect(
      senderVerdict(
        'amazonses.com; spf=pass smtp.mailfrom=x@evil.example; dkim=pass header.d=evil.example; dmarc=fail',
        'anna@example.com',
      ),
    ).toEqual({ verified: false, reason: 'dmarc=fail' });
  });

  it('where the domain publishes no DMARC, accepts an SPF or DKIM pass aligned with the From domain (relaxed)', () => {
    expect(
      senderVerdict('amazonses.com; spf=pass smtp.mailfrom=bounce@mail.example.com; dkim=none; dmarc=none', 'anna@example.com'),
    ).toEqual({
      verified: true,
      by: 'spf',
    });
    expect(senderVerdict('amazonses.com; spf=fail; dkim=pass header.d=example.com; dmarc=none', 'anna@support.example.com')).toEqual({
      verified: true,
      by: 'dkim',
    });
  });

  it('refuses dmarc=none when the passing SPF or DKIM domain is not aligned, or nothing passed', () => {
    const unaligned = senderVerdict(
      'amazonses.com; spf=pass smtp.mailfrom=a@other.example; dkim=pass header.d=notexample.com; dmarc=none',
      'anna@example.com',
    );
    const failed = senderVerdict(
      'amazonses.com; spf=fail smtp.mailfrom=a@example.com; dkim=fail header.d=example.com; dmarc=none',
      'anna@example.com',
    );

    expect(unaligned.verified).toBe(false);
    expect(failed.verified).toBe(false);
  });

  it('refuses a missing header, one by another authserv-id, and one without a DMARC result', () => {
    expect(senderVerdict(undefined, 'anna@example.com')).toMatchObject({ verified: false, reason: 'no Authentication-Results header' });
    expect(senderVerdict('mx.evil.example; dmarc=pass header.from=example.com', 'anna@example.com')).toMatchObject({ verified: false });
    expect(senderVerdict('amazonses.com; spf=pass smtp.mailfrom=anna@example.com', 'anna@example.com')).toEqual({
      verified: false,
      reason: 'dmarc=missing',
    });
  });
});

describe('aligned', () => {
  it('matches the same domain and a subdomain either way, nothing else', () => {
    expect(aligned('example.com', 'example.com')).toBe(true);
    expect(aligned('mail.example.com', 'example.com')).toBe(true);
    expect(aligned('example.com', 'eu.example.com')).toBe(true);
    expect(aligned('notexample.com', 'example.com')).toBe(false);
    expect(aligned('example.com.evil', 'example.com')).toBe(false);
  });
});
