import MailComposer from 'nodemailer/lib/mail-composer';
import type { CaseMessage } from '#cases';
import type { MimeComposer } from '../../domain/email-ports.js';

/**
 * Raw MIME of an outbound message, with the headers that keep a conversation together in the
 * customer's mail client (In-Reply-To, References) and, for automatic mail, `Auto-Submitted` so
 * well-behaved auto-responders stay silent (RFC 3834).
 */
export const nodemailerComposer: MimeComposer = {
  async compose(message: CaseMessage): Promise<Uint8Array> {
    const composer = new MailComposer({
      from: message.fromName ? { name: message.fromName, address: message.from } : message.from,
      to: message.to,
      cc: message.cc.length > 0 ? message.cc : undefined,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
      inReplyTo: message.inReplyTo.at(-1),
      references: message.references,
      headers: {
        ...(message.kind === 'acknowledgement' ? { 'Auto-Submitted': 'auto-replied' } : {}),
        ...(message.kind === 'notification' ? { 'Auto-Submitted': 'auto-generated' } : {}),
        'X-Switchboard-Case': message.caseId,
      },
    });
    return composer.compile().build();
  },
};
