import type { Case } from '#cases';
import type { TimelineEntry } from '#cases';
import type { Customer, Identity } from '#customers';
import type { CaseMessage } from '#cases';
import type { StoredAttachment } from '#cases';
import type { InboundMail } from './inbound-mail.js';

/** The mail bucket: raw inbound MIME and the attachments taken out of it. */
export interface MailObjectStore {
  getRaw(key: string): Promise<Uint8Array>;
  /** Idempotent: the same key always gets the same content. */
  putAttachment(key: string, content: Uint8Array, contentType: string): Promise<void>;
}

/** Turns raw MIME into an `InboundMail`. @throws when nothing can be made of it. */
export interface MailParser {
  parse(raw: Uint8Array): Promise<InboundMail>;
}

/** What the intake reads in one request before deciding. */
export interface MailSnapshotRequest {
  identities: Identity[];
  /** The message's own id and the ids it refers to. */
  messageIds: string[];
  /** Sequence numbers of case numbers the message names. */
  caseSequences: number[];
  /** Fingerprint of sender, subject and text, for the "did you get my mail?" duplicate. */
  fingerprint: string;
  /** Sender whose recent acknowledgements to count. */
  acknowledgedSender: string;
}

export interface MailSnapshot {
  lastCaseSequence: number;
  ownerByIdentity: ReadonlyMap<string, string>;
  caseIdByMessageId: ReadonlyMap<string, string>;
  caseIdBySequence: ReadonlyMap<number, string>;
  /** The case a fingerprint points at, while it has not expired. */
  fingerprintCaseId: string | null;
  /** When the sender was acknowledged recently (ISO), newest last; null when never. */
  acknowledgedAt: string[] | null;
  /** Whether mail to the sender hard-bounced or the sender complained: no acknowledgements go there. */
  suppressed: boolean;
}

/** What SES reported about one of our messages after it left: a bounce or a spam complaint. */
export interface DeliveryEvent {
  status: 'bounced' | 'complained';
  /** The outbound message it is about. */
  caseId: string;
  messageItemId: string;
  /** What the recipient's server or the complaint said, for the message's delivery error. */
  error: string;
  timeline: TimelineEntry;
  /** Addresses that get no more acknowledgements: hard-bounced or complaining recipients. */
  suppress: { address: string; reason: 'bounced' | 'complained'; at: string }[];
}

/** Everything one inbound (or outbound) mail event writes, committed all or nothing. */
export interface MailCommit {
  newCase?: {
    case: Case;
    customer: Customer;
    createCustomer: boolean;
    claimIdentities: Identity[];
    expectedLastSequence: number;
  };
  changedCase?: { case: Case; expectedVersion: number };
  messages: CaseMessage[];
  /** Message-IDs to index; `unique` ones must not be known yet (a repeated delivery stops here). */
  messageIds: { messageId: string; caseId: string; messageItemId: string; unique: boolean }[];
  timeline: TimelineEntry[];
  fingerprint?: { value: string; caseId: string; expiresAt: string };
  acknowledgements?: { sender: string; expected: string[] | null; next: string[]; expiresAt: string };
}

/** Hands raw mail to the mail service. */
export interface EmailSender {
  /**
   * @param message.intentId the outbox's id of this attempt, carried by the sent mail (an SES
   * message tag) so an operator can tell whether an attempt whose answer was lost reached SES.
   * @returns the provider's id and the Message-IDs the delivered mail may carry (providers may replace ours).
   */
  send(message: {
    from: string;
    to: string[];
    cc: string[];
    raw: Uint8Array;
    intentId: string;
  }): Promise<{ providerMessageId: string; headerMessageIds: string[] }>;
}

/** Turns an outbound message into raw MIME. */
export interface MimeComposer {
  compose(message: CaseMessage): Promise<Uint8Array>;
}

/** Persistence of mail on cases (the cases table). */
export interface MailStore {
  /** One read request. */
  readSnapshot(request: MailSnapshotRequest): Promise<MailSnapshot>;
  /** One read request: the cases and the customer the snapshot pointed at. */
  readCasesAndCustomer(caseIds: string[], customerId: string | null): Promise<{ cases: Map<string, Case>; customer: Customer | null }>;
  /**
   * One write request. @throws CommitConflict: 'duplicate' when a unique Message-ID is already
   * known, 'sequence'/'identity'/'version' when what was read went stale.
   */
  commit(commit: MailCommit): Promise<void>;
  listMessages(caseId: string): Promise<CaseMessage[]>;
  /**
   * Takes one acknowledgement of the deployment-wide limit for a minute (`2026-12-02T11:24`),
   * atomically across every instance. @returns false when the minute's `limit` is used up.
   */
  takeAcknowledgementSlot(minute: string, limit: number): Promise<boolean>;
  /** The outbound message one of these Message-IDs (ours or the provider's) belongs to, or null. */
  findMessageByMessageId(messageIds: string[]): Promise<{ caseId: string; messageItemId: string } | null>;
  /**
   * Records a bounce or complaint on the outbound message, with its timeline entry and the
   * suppressions, all or nothing. @returns false when the message has that status already (a
   * repeated event) or is gone.
   */
  recordDeliveryEvent(event: DeliveryEvent): Promise<boolean>;
}

/** A failed outbound message waiting for its next attempt. */
export interface OutboxRetry {
  retryAt: string;
  caseId: string;
  messageItemId: string;
}

/** What the send record of a message says when an attempt is about to hand it to the provider. */
export type SendIntent =
  | { state: 'go' }
  /** An earlier attempt (perhaps on another copy of the message) was accepted: never send again. */
  | { state: 'accepted'; providerMessageId: string; headerMessageIds: string[] }
  /** An earlier attempt is handing it over right now (its lease runs). */
  | { state: 'in_progress' }
  /** An earlier attempt began handing it over and never said how it ended. */
  | { state: 'in_doubt'; intentId: string };

/** How an attempt that did not end in an accepted send leaves the message. */
export interface DeliveryFailure {
  error: string;
  /** `retrying` until `retryAt`, or `failed` for good. */
  next: 'retrying' | 'failed';
  retryAt: string | null;
  /** Throttling is no fault of the message: the attempt is given back. */
  refundAttempt: boolean;
  /** The intent of this attempt, when the provider answered that it did not accept the message. */
  releaseIntent: string | null;
}

/** The outbox: outbound messages on the cases table, their send records and the retry schedule. */
export interface OutboxStore {
  getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null>;
  /**
   * Takes an outbound message for an attempt: only if it is queued, or held by a sender whose lease
   * ran out; counts the attempt. @returns 'claimed'; 'held' when an earlier attempt holds it and its
   * lease still runs; 'done' when it is sent, retrying, failed for good, or gone.
   */
  claimDelivery(caseId: string, messageItemId: string, now: string, leaseUntil: string): Promise<'claimed' | 'held' | 'done'>;
  /** Records the intent to hand the message to the provider, unless its send record says otherwise. */
  beginSend(message: CaseMessage, intent: { intentId: string; leaseUntil: string; now: string }): Promise<SendIntent>;
  /** Records, on the send record alone, that the provider accepted the intent: the first write after a send. */
  recordAccepted(messageItemId: string, intentId: string, sent: { providerMessageId: string; headerMessageIds: string[] }): Promise<void>;
  /** Marks a claimed message sent and indexes the Message-IDs the provider gave it. */
  completeDelivery(message: CaseMessage, providerMessageId: string, headerMessageIds: string[], at: string): Promise<void>;
  /** Leaves a claimed message retrying (with its retry scheduled) or failed. */
  failDelivery(caseId: string, messageItemId: string, failure: DeliveryFailure): Promise<void>;
  /** Retries due at `now`, oldest first. */
  listDueRetries(now: string, limit: number): Promise<OutboxRetry[]>;
  /** Queues a retrying message again and removes its retry. @returns false when the message was no longer retrying. */
  requeue(retry: OutboxRetry): Promise<boolean>;
}

/** Tells the language of a text, as an ISO 639-1 code (`pl`, `en`, `de`, …), or null when unsure. */
export interface LanguageDetector {
  detect(text: string): string | null;
}

/** The message items of a case, as far as releasing it from quarantine goes. */
export interface QuarantineReleaseStore {
  /** The case's messages that have attachments, read consistently. */
  messagesWithAttachments(caseId: string): Promise<{ id: string; attachments: StoredAttachment[] }[]>;
  /** Replaces a message's attachment list (the message must exist). */
  setAttachments(caseId: string, messageItemId: string, attachments: StoredAttachment[]): Promise<void>;
}

/** The mail bucket's moves of a release: both idempotent, so a release can run again from the start. */
export interface QuarantineObjects {
  /** Copies an object over whatever `to` holds, keeping its content type. */
  copy(from: string, to: string): Promise<void>;
  /** Deletes an object; a key that is not there is no error. */
  remove(key: string): Promise<void>;
}
