import type { Callback } from './callback.js';

/** The mail to a customer we could not call back, by language; English for every other language. */
const UNREACHED_TEMPLATES: Record<string, { subject: string; body: (caseNumber: string, attempts: number) => string }> = {
  pl: {
    subject: 'Nie udało się do Ciebie oddzwonić',
    body: (n, attempts) =>
      `Dzień dobry,\n\nodebraliśmy Twoje połączenie, ale mimo ${attempts} prób nie udało nam się do Ciebie oddzwonić. Sprawa ma numer ${n}.\nOdpowiedz na tę wiadomość, a zajmiemy się nią, albo zadzwoń do nas ponownie.\n\nZespół obsługi klienta`,
  },
  en: {
    subject: 'We could not call you back',
    body: (n, attempts) =>
      `Hello,\n\nwe missed your call and tried to call you back ${attempts} time(s), but could not reach you. Your request is case ${n}.\nReply to this message and we will take it from there, or call us again.\n\nCustomer Service`,
  },
  de: {
    subject: 'Wir konnten Sie nicht zurückrufen',
    body: (n, attempts) =>
      `Guten Tag,\n\nwir haben Ihren Anruf verpasst und ${attempts}-mal versucht, Sie zurückzurufen, konnten Sie aber nicht erreichen. Ihr Anliegen hat die Vorgangsnummer ${n}.\nAntworten Sie einfach auf diese Nachricht oder rufen Sie uns erneut an.\n\nIhr Kundenservice`,
  },
};

/** The customer's mail about a failed callback, in their language (English when we have no template). */
export function unreachedMail(
  language: string | null,
  caseNumber: string,
  attempts: number,
): { subject: string; text: string; language: string } {
  const chosen = language && UNREACHED_TEMPLATES[language] ? language : 'en';
  const template = UNREACHED_TEMPLATES[chosen] as (typeof UNREACHED_TEMPLATES)[string];
  return { subject: template.subject, text: template.body(caseNumber, attempts), language: chosen };
}

/** The internal note on a case whose callback failed: what was tried, and what the customer was told. */
export function failedCallbackNote(callback: Callback, mailedTo: string | null): string {
  const attempts = callback.attempts
    .filter((attempt) => attempt.outcome !== 'error')
    .map(
      (attempt) =>
        `  ${attempt.number}. ${attempt.dialledAt ?? attempt.claimedAt}: ${attempt.outcome}${attempt.detail ? ` (${attempt.detail})` : ''}`,
    );
  return [
    `Callback to ${callback.phone} failed: the customer was not reached.`,
    `Missed calls: ${callback.missedCount} (first ${callback.firstMissedAt}, last ${callback.lastMissedAt}).`,
    'Attempts:',
    ...attempts,
    mailedTo
      ? `The customer was emailed at ${mailedTo} that we could not reach them.`
      : 'No email address is known for the customer, so nobody told them: call or write when you can.',
  ].join('\n');
}
