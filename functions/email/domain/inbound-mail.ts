/**
 * An inbound email as the domain sees it: parsed from raw MIME by the mail adapter, with text
 * decoded to UTF-8 whatever the original charset, and the headers the intake rules need.
 */
export interface MailAddress {
  /** Lower-cased address. */
  address: string;
  /** Display name, decoded (`Łukasz Kowalski`), or null. */
  name: string | null;
}

export interface InboundAttachment {
  /** Decoded file name (RFC 2231 / encoded words resolved); a generated name when the part has none. */
  filename: string;
  contentType: string;
  /** Bytes. */
  size: number;
  /** SHA-256 of the content, hex. */
  checksum: string;
  /** Content-ID without angle brackets, for inline parts referenced from HTML (`cid:`), else null. */
  contentId: string | null;
  inline: boolean;
  content: Uint8Array;
}

/** What a delivery status notification (bounce) says about the message that failed. */
export interface DeliveryReport {
  /** Message-ID of the message that bounced, as `<id@host>`, when the report carries it. */
  originalMessageId: string | null;
  /** Final recipients the report is about. */
  recipients: string[];
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded` (RFC 3464). */
  action: string | null;
  /** Status code such as `5.1.1`. */
  status: string | null;
  diagnostic: string | null;
}

export interface InboundMail {
  /** `<id@host>` with angle brackets, or null when the message has none. */
  messageId: string | null;
  /** Message-IDs from In-Reply-To, each `<id@host>`. */
  inReplyTo: string[];
  /** Message-IDs from References, oldest first, each `<id@host>`. */
  references: string[];
  /** The one valid mailbox of the From header; null when there is none (see `fromAsWritten`). */
  from: MailAddress | null;
  /**
   * The From header as written (decoded; several From headers joined with ", ") when it does not
   * hold exactly one valid address: `"Test" test@example.com`, a bare quoted name, a local part with
   * spaces, two From headers, `redacted@redacted`. Null when `from` is valid or there is no From.
   */
  fromAsWritten: string | null;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  /** Envelope-ish recipients from Delivered-To / X-Original-To, lower-cased. */
  deliveredTo: string[];
  /** Decoded subject, '' when missing. */
  subject: string;
  /** ISO timestamp of the Date header, or null. */
  date: string | null;
  /** The whole plain text, quoted history included; derived from the HTML for HTML-only mail. */
  text: string;
  html: string | null;
  /** Header values by lower-cased name (first occurrence), decoded to text. */
  headers: Record<string, string>;
  attachments: InboundAttachment[];
  /** Present when the message is a delivery status notification. */
  deliveryReport: DeliveryReport | null;
}
