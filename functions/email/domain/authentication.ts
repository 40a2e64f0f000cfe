/**
 * Whether a received mail proves its From address, read from the `Authentication-Results` header
 * (RFC 8601) that SES writes on top of every message it receives. Only the topmost header counts and
 * only with SES's authserv-id: anything further down was written by whoever sent the mail.
 */

/** The authserv-id SES writes; a header naming any other was not written by SES. */
export const SES_AUTHSERV_ID = 'amazonses.com';

/** One method's result (`spf=pass`), with its properties (`smtp.mailfrom`, `header.d`, …) by lower-cased name. */
export interface AuthenticationResult {
  method: string;
  result: string;
  properties: Record<string, string>;
}

export interface AuthenticationResults {
  authservId: string;
  results: AuthenticationResult[];
}

/** Methods whose `method=result` starts a result; any other `name=value` is a property of the one before. */
const METHODS = new Set(['spf', 'dkim', 'dmarc', 'arc', 'auth', 'iprev', 'bimi', 'dkim-adsp', 'sender-id', 'x-dkim']);

/** Drops RFC 5322 comments (`(spfCheck: …)`), nested ones too, which may hold `;` and `=`. */
function withoutComments(value: string): string {
  let depth = 0;
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i] as string;
    if (char === '\\' && depth > 0) {
      i += 1;
      continue;
    }
    if (char === '(') depth += 1;
    else if (char === ')' && depth > 0) depth -= 1;
    else if (depth === 0) out += char;
  }
  return out;
}

const unquote = (value: string) => (value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value);

/**
 * Parses one `Authentication-Results` value. SES writes some properties as items of their own
 * (`spf=pass …; envelope-from=a@b; helo=…;`), so an item that is not a known method is read as
 * properties of the result before it. Null when the value has no authserv-id.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  const items = withoutComments(value)
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  const [first, ...rest] = items;
  const authservId = first?.split(/\s+/)[0]?.toLowerCase();
  if (!authservId || authservId.includes('=')) return null;
  const results: AuthenticationResult[] = [];
  for (const item of rest) {
    for (const token of item.split(/\s+/)) {
      const equals = token.indexOf('=');
      if (equals <= 0) continue;
      const name = token.slice(0, equals).toLowerCase();
      const tokenValue = unquote(token.slice(equals + 1));
      if (METHODS.has(name) && !name.includes('.') && token === item.split(/\s+/)[0]) {
        results.push({ method: name, result: tokenValue.toLowerCase(), properties: {} });
      } else {
        const last = results[results.length - 1];
        if (last && !(name in last.properties)) last.properties[name] = tokenValue;
      }
    }
  }
  return { authservId, results };
}

export type SenderVerdict = { verified: true; by: 'dmarc' | 'spf' | 'dkim' } | { verified: false; reason: string };

/** The domain of an address or a bare domain (`@example.com`, `bounce@mail.example.com`), lower-cased. */
function domainOf(value: string | undefined): string | null {
  if (!value) return null;
  const domain = value
    .slice(value.lastIndexOf('@') + 1)
    .trim()
    .replace(/^<|>$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return domain.includes('.') ? domain : null;
}

/**
 * Relaxed alignment (RFC 7489 §3.1), approximated without the public suffix list: the same domain,
 * or one a subdomain of the other (`mail.example.com` and `example.com`).
 */
export function aligned(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

/**
 * Whether the topmost `Authentication-Results` header proves the From address: a DMARC pass; or,
 * where the domain publishes no DMARC policy (`dmarc=none`), an SPF or DKIM pass for a domain
 * aligned with From's. A missing header, another authserv-id, or any other DMARC result is no proof.
 */
export function senderVerdict(topmostHeader: string | undefined, fromAddress: string): SenderVerdict {
  if (topmostHeader === undefined) return { verified: false, reason: 'no Authentication-Results header' };
  const parsed = parseAuthenticationResults(topmostHeader);
  if (!parsed || parsed.authservId !== SES_AUTHSERV_ID) {
    return { verified: false, reason: `Authentication-Results not written by ${SES_AUTHSERV_ID}` };
  }
  const of = (method: string) => parsed.results.filter((result) => result.method === method);
  const dmarc = of('dmarc')[0]?.result ?? 'missing';
  if (dmarc === 'pass') return { verified: true, by: 'dmarc' };
  if (dmarc !== 'none') return { verified: false, reason: `dmarc=${dmarc}` };
  const fromDomain = domainOf(fromAddress);
  if (!fromDomain) return { verified: false, reason: 'the From address has no domain' };
  const spfAligned = of('spf').some((spf) => {
    const domain = domainOf(spf.properties['smtp.mailfrom'] ?? spf.properties['envelope-from'] ?? spf.properties['smtp.helo']);
    return spf.result === 'pass' && domain !== null && aligned(domain, fromDomain);
  });
  if (spfAligned) return { verified: true, by: 'spf' };
  const dkimAligned = of('dkim').some((dkim) => {
    const domain = domainOf(dkim.properties['header.d'] ?? dkim.properties['header.i']);
    return dkim.result === 'pass' && domain !== null && aligned(domain, fromDomain);
  });
  if (dkimAligned) return { verified: true, by: 'dkim' };
  return { verified: false, reason: 'dmarc=none and no SPF or DKIM pass aligned with the From domain' };
}
