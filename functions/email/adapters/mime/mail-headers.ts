import type { AddressObject, HeaderLines, HeaderValue, ParsedMail, StructuredHeader } from 'mailparser';

// Header values as the domain reads them: unfolded, raw UTF-8 and RFC 2047 encoded words decoded
// from any charset, where mailparser decodes only the headers it knows.

/** Every header's occurrences by lower-cased name, in message order (see `rawValue`). */
export function rawHeaderValues(lines: HeaderLines): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const list = values.get(key);
    if (list) list.push(rawValue(line));
    else values.set(key, [rawValue(line)]);
  }
  return values;
}

/** The value of a raw header line: name dropped, unfolded, raw UTF-8 and encoded words decoded. */
export function rawValue(line: string): string {
  return decodeEncodedWords(unfold(utf8(line.slice(line.indexOf(':') + 1))));
}

/**
 * Header values by lower-cased name, first occurrence, as text. Plain headers come from the raw
 * lines, decoded here: mailparser decodes encoded words only in the headers it knows, replaces an
 * unparseable Date with the current time, and folds `List-*` into `list` and `X-Priority` into
 * `priority`. Its structured values are used where they add decoding: address headers as their
 * text with names decoded, Content-Type and Content-Disposition as their main value, and the
 * subject. An empty structured value (`Return-Path: <>`) keeps the raw text, which says more.
 */
export function flattenHeaders(parsed: ParsedMail, raws: Map<string, string[]>): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [key, values] of raws) {
    const raw = values[0] ?? '';
    const structured = key === 'subject' ? (parsed.subject ?? null) : structuredText(key, parsed.headers.get(key));
    entries.push([key, structured || raw]);
  }
  // fromEntries defines own properties, so a header named `__proto__` cannot touch the prototype.
  return Object.fromEntries(entries);
}

/** Headers whose structured value is a main value plus parameters; the main value is what they say. */
const PARAMETERIZED_HEADERS = new Set(['content-type', 'content-disposition']);

function structuredText(key: string, value: HeaderValue | undefined): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (isAddressObject(first)) return first.text;
  if (PARAMETERIZED_HEADERS.has(key) && isStructuredHeader(first)) return first.value;
  return null;
}

function isAddressObject(value: unknown): value is AddressObject {
  return typeof value === 'object' && value !== null && 'text' in value && 'value' in value && Array.isArray(value.value);
}

export function isStructuredHeader(value: unknown): value is StructuredHeader {
  return typeof value === 'object' && value !== null && 'params' in value && typeof (value as StructuredHeader).value === 'string';
}

/** RFC 5322 unfolding: a line break followed by whitespace is not part of the value. */
function unfold(value: string): string {
  return value.replace(/\r?\n(?=[ \t])/g, '').trim();
}

/** Header lines arrive as one char per byte; raw 8-bit headers are UTF-8 in practice (RFC 6532). */
function utf8(binary: string): string {
  return Buffer.from(binary, 'latin1').toString('utf8');
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;

interface EncodedRun {
  charset: string;
  bytes: Buffer;
}

/**
 * RFC 2047 encoded words. Adjacent words of one charset are decoded together, as senders split a
 * multi-byte character between them; whitespace between adjacent words is dropped (§6.2).
 */
function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  const parts: (string | EncodedRun)[] = [];
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, match.index);
    const previous = parts[parts.length - 1];
    const adjacent = typeof previous === 'object' && between.trim() === '';
    const charset = (match[1] ?? '').split('*')[0]?.toLowerCase() ?? '';
    const data = match[3] ?? '';
    const bytes =
      (match[2] ?? '').toLowerCase() === 'b'
        ? Buffer.from(data, 'base64')
        : Buffer.from(
            data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    if (adjacent && previous.charset === charset) {
      previous.bytes = Buffer.concat([previous.bytes, bytes]);
    } else {
      if (!adjacent) parts.push(between);
      parts.push({ charset, bytes });
    }
    last = match.index + match[0].length;
  }
  parts.push(value.slice(last));
  return parts.map((part) => (typeof part === 'string' ? part : decodeBytes(part.bytes, part.charset))).join('');
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // A charset the runtime does not know: the bytes as UTF-8 beat showing the encoded word.
    return bytes.toString('utf8');
  }
}

/** The Date header as an ISO timestamp, or null when it is missing or unparseable. */
export function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
