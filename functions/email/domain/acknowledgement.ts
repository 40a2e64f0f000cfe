/** Acknowledgement texts by language; English is the fallback for every other language. */
const TEMPLATES: Record<string, { subject: string; body: (caseNumber: string) => string }> = {
  pl: {
    subject: 'Otrzymaliśmy Twoje zgłoszenie',
    body: (n) =>
      `Dzień dobry,\n\ndziękujemy za wiadomość. Zarejestrowaliśmy ją jako zgłoszenie ${n} i odpowiemy najszybciej, jak to możliwe.\nOdpowiadając, prosimy nie zmieniać tematu wiadomości.\n\nZespół obsługi klienta`,
  },
  en: {
    subject: 'We have received your request',
    body: (n) =>
      `Hello,\n\nthank you for your message. We have registered it as case ${n} and will answer as soon as we can.\nWhen you reply, please keep the subject as it is.\n\nCustomer Service`,
  },
  de: {
    subject: 'Wir haben Ihre Anfrage erhalten',
    body: (n) =>
      `Guten Tag,\n\nvielen Dank für Ihre Nachricht. Wir haben sie als Vorgang ${n} erfasst und antworten so bald wie möglich.\nBitte lassen Sie den Betreff bei einer Antwort unverändert.\n\nIhr Kundenservice`,
  },
};

/** The acknowledgement of a new case in the customer's language, English when we have no template. */
export function acknowledgementText(language: string | null, caseNumber: string): { subject: string; text: string; language: string } {
  const chosen = language && TEMPLATES[language] ? language : 'en';
  const template = TEMPLATES[chosen] as (typeof TEMPLATES)[string];
  return { subject: template.subject, text: template.body(caseNumber), language: chosen };
}
