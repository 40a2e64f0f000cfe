import type { Attachment } from 'mailparser';
import type { InboundAttachment } from '../../domain/inbound-mail.js';

// Attachments as the domain stores them: a name for every part, a lower-cased type, bytes of their own.

/** File extensions for generated attachment names; anything else is `.bin`. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/ms-tnef': 'dat',
  'application/pkcs7-signature': 'p7s',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/csv': 'csv',
  'text/calendar': 'ics',
  'text/rfc822-headers': 'txt',
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'message/delivery-status': 'txt',
  'message/global-delivery-status': 'txt',
  'message/disposition-notification': 'txt',
};

export function toAttachment(attachment: Attachment, index: number): InboundAttachment {
  const contentType = attachment.contentType.toLowerCase();
  return {
    filename: attachment.filename?.trim() || `attachment-${index + 1}.${EXTENSIONS[contentType] ?? 'bin'}`,
    contentType,
    size: attachment.content.length,
    checksum: attachment.checksum,
    contentId: attachment.cid?.trim() || null,
    // Shown within the body: marked inline by the sender, or an image the HTML embeds by Content-ID.
    inline: attachment.contentDisposition === 'inline' || attachment.related === true,
    content: ownBytes(attachment.content),
  };
}

/** A Uint8Array that does not expose Buffer's shared allocation pool through `.buffer`. */
function ownBytes(buffer: Buffer): Uint8Array {
  const whole = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength;
  return whole ? new Uint8Array(buffer.buffer, 0, buffer.byteLength) : new Uint8Array(buffer);
}
