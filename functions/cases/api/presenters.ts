import type { Case } from '../domain/case.js';
import type { CaseMessage } from '../domain/case-message.js';

/**
 * What the API shows of domain objects. The reply token stays inside: it is what lets mail prove
 * it belongs to a case, and no API caller needs it.
 */
export function presentCase(c: Case) {
  const { replyToken: _secret, ...shown } = c;
  return shown;
}

export function presentMessage(message: CaseMessage) {
  return {
    id: message.id,
    direction: message.direction,
    channel: message.channel,
    kind: message.kind,
    from: message.from,
    fromName: message.fromName,
    to: message.to,
    cc: message.cc,
    subject: message.subject,
    text: message.text,
    messageId: message.messageId,
    attachments: message.attachments.map(({ filename, contentType, size, checksum, inline }) => ({
      filename,
      contentType,
      size,
      checksum,
      inline,
    })),
    rejectedAttachments: message.rejectedAttachments,
    threading: message.threading,
    automation: message.automation,
    authorId: message.authorId,
    deliveryStatus: message.delivery?.status ?? null,
    createdAt: message.createdAt,
  };
}
