/**
 * What SES receiving writes on top of every message, done locally: an `Authentication-Results`
 * header with authserv-id `amazonses.com` and SPF, DKIM and DMARC results. Locally every check
 * passes, unless the message carries `X-Switchboard-Local-Verdict` (for example `spf=fail dkim=fail
 * dmarc=fail`, any subset, or `dmarc=none`): its results are used and the header is removed, as
 * the intake must see only what SES would have written.
 */

const VERDICT_HEADER = 'x-switchboard-local-verdict';
const METHODS = ['spf', 'dkim', 'dmarc'] as const;
const RESULT = /^(?:pass|fail|softfail|neutral|none|temperror|permerror|policy)$/;

export function stampAuthenticationResults(raw: Buffer, envelopeFrom: string | null): Buffer {
  const text = raw.toString('latin1');
  const end = headerEnd(text);
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.slice(0, end).split(/\r?\n/);
  const kept: string[] = [];
  const results: Record<(typeof METHODS)[number], string> = { spf: 'pass', dkim: 'pass', dmarc: 'pass' };
  let inVerdict = false;
  let verdict = '';
  for (const line of lines) {
    const continuation = /^[ \t]/.test(line);
    if (!continuation) inVerdict = line.toLowerCase().startsWith(`${VERDICT_HEADER}:`);
    if (inVerdict) verdict += ` ${continuation ? line : line.slice(line.indexOf(':') + 1)}`;
    else kept.push(line);
  }
  for (const token of verdict.trim().split(/[\s;]+/)) {
    const [method, result] = token.toLowerCase().split('=');
    if ((METHODS as readonly string[]).includes(method ?? '') && RESULT.test(result ?? '')) {
      results[method as (typeof METHODS)[number]] = result as string;
    }
  }
  const fromLine = kept.find((line) => /^from:/i.test(line)) ?? '';
  const fromDomain = /@([^\s>;,"]+)/.exec(fromLine)?.[1]?.toLowerCase() ?? 'unknown.invalid';
  const mailFrom = envelopeFrom && envelopeFrom.includes('@') ? envelopeFrom.toLowerCase() : `sender@${fromDomain}`;
  const header =
    `Authentication-Results: amazonses.com; spf=${results.spf} smtp.mailfrom=${mailFrom};` +
    `${newline} dkim=${results.dkim} header.d=${fromDomain}; dmarc=${results.dmarc} header.from=${fromDomain}`;
  return Buffer.concat([Buffer.from(`${header}${newline}`, 'latin1'), Buffer.from(kept.join(newline), 'latin1'), raw.subarray(end)]);
}

/** Where the header section ends: at the blank line, or the whole message when it has none. */
function headerEnd(text: string): number {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  const candidates = [crlf, lf].filter((index) => index >= 0);
  return candidates.length > 0 ? Math.min(...candidates) : text.length;
}
