import EmailReplyParser from 'email-reply-parser';

/**
 * What a customer newly wrote in a reply, and the reference markers that tie a reply to its case.
 * Both work on the decoded plain text of a message (`InboundMail.text`).
 */

/** A line of quoted history as mail clients write it in plain text (and html-to-text writes for `<blockquote>`). */
const QUOTED_LINE = /^>/;

/**
 * RFC 3676 signature delimiter: "-- " alone on a line. Also "--" without the space, because many
 * clients and editors strip trailing whitespace and turn the standard delimiter into that.
 */
const SIGNATURE_DELIMITER = /^-- ?$/;

/**
 * Attribution lines that introduce quoted history. Each is matched against one line and against a
 * line joined with the next one, since Gmail wraps long attributions (`… <\nsupport@… > wrote:`).
 */
const ATTRIBUTIONS: readonly RegExp[] = [
  // English (Gmail, Thunderbird, Apple Mail): "On Mon, 13 Jan 2025 at 11:02, Support <support@…> wrote:"
  /^On\s.+\swrote:$/i,
  // Polish Gmail: "W dniu pon., 13 sty 2025 o 11:02 Support <support@…> napisał(a):"; Thunderbird "… pisze:"
  /^W dniu\s.+\s(?:pisze|napisał(?:\(a\)|a)?):$/iu,
  // Polish Thunderbird and older webmails: "Dnia 13.01.2025 o 11:02 Support napisał(a):"
  /^Dnia\s.+\s(?:pisze|napisał(?:\(a\)|a)?):$/iu,
  // German (Gmail, Thunderbird, Apple Mail): "Am 13.01.2025 um 11:02 schrieb Support <support@…>:"
  /^Am\s.+\sschrieb(?:\s.*)?:$/iu,
  // Slovak Gmail: "Dňa po 13. 1. 2025 o 11:02 Support <support@…> napísal(a):"
  /^Dňa\s.+\snapísal(?:\(a\)|a)?:$/iu,
  // Finnish Gmail: "ma 13.1.2025 klo 11.02 Support (<support@…>) kirjoitti:"
  /^.+\skirjoitti:$/iu,
];

/**
 * An attribution names a date or an address; requiring a digit or "@" keeps an ordinary sentence
 * that happens to end in "wrote:" from cutting the reply.
 */
const ATTRIBUTION_EVIDENCE = /[\d@]/;

/** Longer lines are prose, not attributions; the bound also keeps the per-line regex work small. */
const MAX_ATTRIBUTION_LENGTH = 400;

/** Outlook's separator above the quoted message, in the languages we serve. */
const ORIGINAL_MESSAGE_SEPARATOR =
  /^\s*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Wiadomość oryginalna|Pôvodná správa|Původní zpráva|Alkuperäinen viesti|Oorspronkelijk bericht|Messaggio originale|Message d'origine|Mensaje original)\s*-{2,}\s*$/iu;

/** First line of Outlook's header block ("From: …", "Od: …", "Von: …"); bold markers may survive as `*`. */
const HEADER_BLOCK_FROM = /^\*?(?:From|Od|Von|Lähettäjä|Van|Da|De)\*?\s?:\s*\S/iu;
/** The block's date line: Outlook for Windows says "Sent", Outlook for Mac "Date". */
const HEADER_BLOCK_SENT = /^\*?(?:Sent|Date|Wysłano|Data|Gesendet|Datum|Odoslané|Lähetetty|Päivämäärä|Verzonden|Inviato|Envoyé)\*?\s?:/iu;
const HEADER_BLOCK_SUBJECT = /^\*?(?:Subject|Temat|Betreff|Predmet|Aihe|Onderwerp|Oggetto|Objet)\*?\s?:/iu;
/** Outlook puts its date and subject lines within this many lines after "From:". */
const HEADER_BLOCK_SPAN = 6;

/** Outlook (web and mobile) draws a line of underscores above the header block. */
const OUTLOOK_RULE = /^_{10,}\s*$/;

/**
 * Markers above forwarded content. A forward is what the customer wants us to read, so everything
 * from such a marker on is kept, quoted lines and header blocks included.
 */
const FORWARD_MARKERS: readonly RegExp[] = [
  // Apple Mail, in English, German and Polish
  /^(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|Początek przekazywanej wiadomości):\s*$/iu,
  // Gmail: "---------- Forwarded message ---------"
  /^-{5,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Wiadomość przekazana dalej)\s*-{5,}\s*$/iu,
];

/**
 * Removes quoted history and the signature from a reply, leaving what the sender newly wrote:
 * `>` quoted lines, everything from an attribution line ("On … wrote:", "W dniu … napisał(a):", "Am …
 * schrieb …:", "Dňa … napísal(a):", "… kirjoitti:"), Outlook's "-----Original Message-----" separator
 * or its "From:/Sent:/Subject:" header block on, and the signature from its "-- " delimiter on.
 * Forwarded content ("Begin forwarded message:", Gmail's "Forwarded message" line) is kept whole.
 * An attribution whose quotes are followed by the sender's answers is a bottom-posted or inline reply:
 * there only the attribution and the quoted lines go.
 * Trailing blank lines are trimmed; when nothing would remain, the original text is returned trimmed.
 */
export function extractReplyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const answered = answerAfterQuote(lines);
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (isForwardMarker(line)) {
      kept.push(...lines.slice(index));
      break;
    }
    if (SIGNATURE_DELIMITER.test(line)) {
      // A signature above a forward ends where the forward begins.
      const forward = lines.findIndex((candidate, at) => at > index && isForwardMarker(candidate));
      if (forward < 0) break;
      index = forward - 1;
      continue;
    }
    const attribution = attributionLength(lines, index);
    if (attribution > 0) {
      if (answered[index + attribution]) {
        index += attribution - 1;
        continue;
      }
      break;
    }
    if (ORIGINAL_MESSAGE_SEPARATOR.test(line) || startsHeaderBlock(lines, index)) {
      dropTrailingRule(kept);
      break;
    }
    if (!QUOTED_LINE.test(line)) kept.push(line);
  }
  const reply = trimBlankLines(kept).join('\n').trimEnd();
  if (reply === '') return text.trim();
  // Forwarded content is kept on purpose; the library would cut it as quoted history.
  if (kept.some(isForwardMarker)) return reply;
  return withLibraryAttributions(reply);
}

/**
 * crisp-oss/email-reply-parser on top of our own rules: it knows the attributions and separators of
 * languages we do not list (Dutch "Op … schreef …:", French "Le … a écrit :", Italian "Il giorno … ha
 * scritto:", Spanish, Portuguese, Japanese, Chinese, and "-------- Original message --------" with its
 * translations) and the closing formulas of signatures. It runs after ours, so it only ever shortens
 * what our rules kept; when it would leave nothing, ours stands.
 */
function withLibraryAttributions(reply: string): string {
  const visible = new EmailReplyParser().parseReply(reply).trimEnd();
  return visible.trim() === '' ? reply : trimBlankLines(visible.split('\n')).join('\n').trimEnd();
}

/** How many lines (1 or 2) the attribution starting at `index` spans, or 0 when there is none. */
function attributionLength(lines: readonly string[], index: number): number {
  const line = (lines[index] ?? '').trim();
  if (line === '' || QUOTED_LINE.test(line)) return 0;
  if (isAttribution(line)) return 1;
  const next = (lines[index + 1] ?? '').trim();
  if (next !== '' && !QUOTED_LINE.test(next) && isAttribution(`${line} ${next}`)) return 2;
  return 0;
}

function isAttribution(candidate: string): boolean {
  return (
    candidate.length <= MAX_ATTRIBUTION_LENGTH &&
    ATTRIBUTION_EVIDENCE.test(candidate) &&
    ATTRIBUTIONS.some((pattern) => pattern.test(candidate))
  );
}

function isForwardMarker(line: string): boolean {
  const trimmed = line.trim();
  return FORWARD_MARKERS.some((pattern) => pattern.test(trimmed));
}

function startsHeaderBlock(lines: readonly string[], index: number): boolean {
  if (!HEADER_BLOCK_FROM.test(lines[index] ?? '')) return false;
  const following = lines.slice(index + 1, index + 1 + HEADER_BLOCK_SPAN);
  return following.some((line) => HEADER_BLOCK_SENT.test(line)) && following.some((line) => HEADER_BLOCK_SUBJECT.test(line));
}

/**
 * For each line: does an unquoted line follow a quoted one from here on, before a signature? Then
 * the sender answered below or between the quotes. History that a client wrote without `>` (Yahoo,
 * some Android clients) has no quoted line before it, so it is still cut. One backward pass, so
 * many attribution-like lines cannot make the work quadratic.
 */
function answerAfterQuote(lines: readonly string[]): boolean[] {
  const answered = new Array<boolean>(lines.length + 1).fill(false);
  let unquotedLater = false;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index] ?? '';
    if (SIGNATURE_DELIMITER.test(line)) {
      unquotedLater = false;
      answered[index] = false;
      continue;
    }
    if (QUOTED_LINE.test(line)) answered[index] = unquotedLater || (answered[index + 1] ?? false);
    else {
      answered[index] = answered[index + 1] ?? false;
      if (line.trim() !== '') unquotedLater = true;
    }
  }
  return answered;
}

function dropTrailingRule(kept: string[]): void {
  while (kept.length > 0 && (kept[kept.length - 1] ?? '').trim() === '') kept.pop();
  if (kept.length > 0 && OUTLOOK_RULE.test(kept[kept.length - 1] ?? '')) kept.pop();
}

function trimBlankLines(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start += 1;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return lines.slice(start, end);
}

/** A reference marker found in a text: the case it names and the reply token that proves it. */
export interface ReferenceToken {
  /** Upper-case case number, e.g. `CS-000123`. */
  caseNumber: string;
  /** Ten lower-case Crockford base32 characters. */
  token: string;
}

/**
 * Optional break between a marker's parts: a client that re-wraps a quoted line may break it after a
 * colon and prefix the continuation with `>` quoting. Breaks inside the digits or the token are not
 * tolerated: clients wrap at whitespace and colons, never inside a run of letters and digits.
 */
const MARKER_BREAK = String.raw`[ \t]*(?:\r?\n[> \t]*)?`;

/**
 * `[ref:CS-000123:k3j9xq2m7a]`: case number (6 to 15 digits, as case numbers grow past a million) and
 * a token of Crockford base32 (no i, l, o, u). Case-insensitive, so a client that upper-cases the
 * marker still matches; the parts are normalized on the way out.
 */
const REFERENCE_MARKER = new RegExp(String.raw`\[ref:${MARKER_BREAK}(cs-\d{6,15}):${MARKER_BREAK}([0-9a-hjkmnp-tv-z]{10})\]`, 'gi');

/**
 * Finds our reference markers anywhere in a text, quoted history included, as unique
 * `{ caseNumber, token }` pairs in order of first appearance.
 */
export function findReferenceTokens(text: string): ReferenceToken[] {
  const found = new Map<string, ReferenceToken>();
  for (const match of text.matchAll(REFERENCE_MARKER)) {
    const caseNumber = (match[1] ?? '').toUpperCase();
    const token = (match[2] ?? '').toLowerCase();
    const key = `${caseNumber}:${token}`;
    if (!found.has(key)) found.set(key, { caseNumber, token });
  }
  return [...found.values()];
}
