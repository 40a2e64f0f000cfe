// Raw 8-bit header bytes in a legacy charset, as old clients and webmails still send them.

/** `charset=` of a Content-Type, quoted or not, possibly on a folded line. */
const CHARSET_PARAM = /content-type:[^]*?;\s*charset\s*=\s*"?([\w.:+-]+)"?/i;
/** The first text part's Content-Type header within a body. */
const TEXT_PART_TYPE = /^content-type:[ \t]*text\/[\w.+-]+(?:[^\r\n]*|\r?\n[ \t][^\r\n]*)*/im;

/** How far into the body the first text part's header is looked for. */
const TEXT_PART_SCAN_BYTES = 64 * 1024;

/**
 * The message with its top-level header re-encoded as UTF-8 when it holds 8-bit bytes that are not
 * UTF-8 (RFC 6532 allows UTF-8 headers; raw windows-1250, ISO-8859-2, GB2312 or Shift_JIS ones are
 * not allowed at all, but clients send them). mailparser reads such bytes as UTF-8 and turns every
 * one into U+FFFD, so the subject and the sender's name come out unreadable. The sender's charset is
 * the one the message declares: its own Content-Type's, else the first text part's. With no
 * declaration, or one the runtime does not know, the header is left alone. The raw message in the
 * bucket is never changed: this is only what the parser reads.
 */
export function withUtf8Headers(raw: Buffer): Buffer {
  const end = headerEnd(raw);
  const header = raw.subarray(0, end);
  if (!header.some((byte) => byte >= 0x80) || isUtf8(header)) return raw;
  const decoder = declaredDecoder(raw, end);
  if (!decoder) return raw;
  return Buffer.concat([Buffer.from(decoder.decode(header), 'utf8'), raw.subarray(end)]);
}

/** Where the top-level header ends (the empty line included in the header), or the whole input. */
export function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf >= 0 ? crlf + 4 : -1, lf >= 0 ? lf + 2 : -1].filter((at) => at >= 0);
  return ends.length > 0 ? Math.min(...ends) : raw.length;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function declaredDecoder(raw: Buffer, end: number): InstanceType<typeof TextDecoder> | null {
  const header = raw.subarray(0, end).toString('latin1');
  const topLevel = /^content-type:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/im.exec(header)?.[0];
  const firstText = TEXT_PART_TYPE.exec(raw.subarray(end, end + TEXT_PART_SCAN_BYTES).toString('latin1'))?.[0];
  for (const candidate of [topLevel, firstText]) {
    const charset = candidate ? CHARSET_PARAM.exec(candidate)?.[1]?.toLowerCase() : undefined;
    if (!charset || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii') continue;
    try {
      return new TextDecoder(charset);
    } catch {
      // A charset the runtime does not know: try the next declaration.
    }
  }
  return null;
}
