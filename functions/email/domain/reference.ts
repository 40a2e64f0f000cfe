/**
 * How our outbound mail names its case: `[CS-000123]` in the subject for people, and a reference
 * marker `[ref:CS-000123:<token>]` in the body for us. The token is the case's secret reply token,
 * so a stranger who only knows (or guesses) the number cannot attach mail to someone else's case.
 */
const SUBJECT_NUMBER = /\[(CS-\d{6,})\]/gi;

export function subjectTag(caseNumber: string): string {
  return `[${caseNumber}]`;
}

export function referenceMarker(caseNumber: string, token: string): string {
  return `[ref:${caseNumber}:${token}]`;
}

/** Case numbers tagged in a subject, upper-cased, in order, without repeats. */
export function caseNumbersInSubject(subject: string): string[] {
  return [...new Set([...subject.matchAll(SUBJECT_NUMBER)].map((match) => (match[1] as string).toUpperCase()))];
}

/** `Re: <subject> [CS-000123]`, without piling up `Re:`/`AW:`/`Odp:` prefixes or repeating the tag. */
export function replySubject(caseNumber: string, subject: string): string {
  const bare = subject
    .replace(SUBJECT_NUMBER, '')
    .replace(/^\s*((re|aw|odp|sv|vs|wg|fw|fwd)\s*:\s*)+/i, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return `Re: ${bare || '(no subject)'} ${subjectTag(caseNumber)}`;
}
