import { type Case, ownerOf, parseCaseNumber, type StoredAttachment } from '#cases';
import { isoNow } from '#platform/domain/clock';
import type { Identity } from '#customers';
import { normalizeEmail } from '#customers';
import { type SenderVerdict, senderVerdict } from '../domain/authentication.js';
import { automationOf, isBounce, scanVerdict } from '../domain/automation.js';
import { QUARANTINE_PREFIX } from '../domain/quarantine.js';
import { mailFingerprint, messageKeyOf, syntheticMessageId } from '../domain/fingerprint.js';
import type { InboundMail } from '../domain/inbound-mail.js';
import { boundInboundMail, MAIL_BOUNDS, truncateChars, truncateUtf8 } from '../domain/mail-bounds.js';
import { caseNumbersInSubject } from '../domain/reference.js';
import { extractReplyText, findReferenceTokens } from '../domain/reply-text.js';
import { decideThread } from '../domain/threading.js';
import { ContentionError, ValidationError } from '#platform/domain/errors';
import { CommitConflict, MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import type { EmailDeps } from './deps.js';
import { newCaseCommit } from './receive-email/new-case-commit.js';
import { entry, inboundMessage, type ReceiveOutcome, type Received } from './receive-email/records.js';
import { threadedCommit } from './receive-email/threaded-commit.js';

export type { ReceiveOutcome } from './receive-email/records.js';

/** Message-IDs of a message we look up at most: its own and the nearest it refers to. */
const MAX_REFERENCED_IDS = 20;

/**
 * Records one inbound email, from its raw MIME in the mail bucket, on the right case.
 *
 * 1. Read and parse the raw mail; a message without Message-ID gets one derived from its bytes.
 * 2. A delivery report (bounce) is recorded on the case whose mail bounced and never opens a case.
 * 3. Store the attachments (within the size limit) under keys derived from the Message-ID, so a
 *    redelivery overwrites rather than duplicates.
 * 4. Read in one request: counter, sender identity, every Message-ID involved, the cases the
 *    message names, the duplicate fingerprint and the sender's recent acknowledgements; then, in
 *    a second, the candidate cases and the customer.
 * 5. Decide the thread (token, headers, subject number from a participant whose mail proves its
 *    From) and reopen or open a follow-up as the reopen window says; else open a new case,
 *    classified by language and rules, quarantined when SES judged the mail spam or infected.
 *    Automated mail joins the case it names without changing it, or is dropped.
 * 6. Queue an acknowledgement for a new case unless the mail is automated, quarantined, from us,
 *    from a sender it does not prove, to an address that bounced or complained, the sender had
 *    enough acknowledgements this hour, or the deployment sent its limit this minute.
 * 7. Commit it all in one transaction. A repeated delivery stops at its known Message-ID; a lost
 *    race re-reads and retries.
 */
export async function receiveEmail(deps: EmailDeps, input: { rawKey: string }): Promise<ReceiveOutcome> {
  const raw = await deps.objects.getRaw(input.rawKey);
  const mail = boundInboundMail(await deps.parser.parse(raw));
  const messageId = mail.messageId ?? syntheticMessageId(raw);
  if (isBounce(mail)) return recordBounce(deps, mail, messageId, input.rawKey);

  const { sender, senderIsAddress } = senderOf(mail);
  const stored = await storeAttachments(deps, mail, messageId);
  const { text, textTruncated } = storedText(mail.text);
  const markers = findReferenceTokens(`${mail.subject}\n${truncateUtf8(mail.text, MAIL_BOUNDS.replyScanMaxBytes).text}`);
  const namedNumbers = [...new Set([...markers.map((marker) => marker.caseNumber), ...caseNumbersInSubject(mail.subject)])];
  const referenced = [...mail.inReplyTo, ...[...mail.references].reverse()].slice(0, MAX_REFERENCED_IDS);
  const identities: Identity[] = senderIsAddress ? [{ type: 'email', value: sender }] : [];
  const fingerprint = mailFingerprint(sender, mail.subject, text);
  // SES writes its Authentication-Results on top; `headers` keeps each header's first occurrence.
  const verdict: SenderVerdict = senderIsAddress
    ? senderVerdict(mail.headers['authentication-results'], sender)
    : { verified: false, reason: 'the From header holds no valid address' };
  const automation = automationOf(mail, deps.mailSettings);
  // Taken at most once per mail, whatever the retries: a slot of the deployment-wide rate limit.
  let acknowledgementSlot: boolean | null = null;

  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    const snapshot = await deps.mail.readSnapshot({
      identities,
      messageIds: [messageId, ...referenced],
      caseSequences: namedNumbers.map((n) => parseCaseNumber(n)).filter((n): n is number => n !== null),
      fingerprint,
      acknowledgedSender: senderIsAddress ? sender : '',
    });
    if (snapshot.caseIdByMessageId.has(messageId)) return { outcome: 'duplicate', messageId };

    const caseIdOfNumber = (n: string) => snapshot.caseIdBySequence.get(parseCaseNumber(n) ?? 0) ?? null;
    const headerCaseId = referenced.map((id) => snapshot.caseIdByMessageId.get(id)).find(Boolean) ?? null;
    const candidateIds = [...namedNumbers.map(caseIdOfNumber), headerCaseId, snapshot.fingerprintCaseId].filter((id): id is string =>
      Boolean(id),
    );
    const { cases, customer } = await deps.mail.readCasesAndCustomer(
      [...new Set(candidateIds)],
      ownerOf(snapshot.ownerByIdentity, identities),
    );
    const merged = await followMerges(deps, cases);
    const tokenCase =
      markers
        .map((marker) => cases.get(caseIdOfNumber(marker.caseNumber) ?? ''))
        .find((c, i) => c !== undefined && c.replyToken === markers[i]?.token) ?? null;
    const subjectNumber = caseNumbersInSubject(mail.subject)[0];
    const decision = decideThread(
      {
        sender,
        senderVerified: verdict.verified,
        automation,
        namesCase: namedNumbers.length > 0,
        tokenCase: merged(tokenCase),
        headerCase: merged(headerCaseId ? (cases.get(headerCaseId) ?? null) : null),
        subjectCase: merged(subjectNumber ? (cases.get(caseIdOfNumber(subjectNumber) ?? '') ?? null) : null),
        duplicateOf: merged(snapshot.fingerprintCaseId ? (cases.get(snapshot.fingerprintCaseId) ?? null) : null),
        quarantined: scanVerdict(mail) !== null,
      },
      deps.clock.now(),
      deps.mailSettings.reopenWindowDays,
    );

    if (decision.kind === 'drop') return { outcome: 'dropped', reason: decision.reason, messageId };
    const received = {
      messageId,
      text,
      textTruncated,
      stored,
      rawKey: input.rawKey,
      sender,
      senderIsAddress,
      senderVerified: verdict.verified,
    };
    const gate = { authentication: verdict, rateLimited: acknowledgementSlot === false };
    let commit =
      decision.kind === 'attach'
        ? threadedCommit(deps, mail, received, decision)
        : newCaseCommit(deps, mail, { ...received, fingerprint }, snapshot, customer, decision, gate);
    if (decision.kind === 'new' && commit.outcome.outcome === 'new_case' && commit.outcome.acknowledged && acknowledgementSlot === null) {
      acknowledgementSlot = await deps.mail.takeAcknowledgementSlot(
        minuteOf(deps.clock.now()),
        deps.mailSettings.maxAcknowledgementsPerMinute,
      );
      if (!acknowledgementSlot) {
        commit = newCaseCommit(deps, mail, { ...received, fingerprint }, snapshot, customer, decision, {
          authentication: verdict,
          rateLimited: true,
        });
      }
    }
    try {
      await deps.mail.commit(commit.commit);
      return commit.outcome;
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason === 'duplicate') return { outcome: 'duplicate', messageId };
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError(`could not record ${messageId}: the cases it touches kept changing`);
}

/**
 * Mail that names a merged case belongs to the case it was merged into: reads those targets (one
 * more request, only when a merged case is involved) and returns the mapping. The check of the
 * reference token stays with the case the token belongs to.
 */
async function followMerges(deps: EmailDeps, cases: Map<string, Case>): Promise<(c: Case | null) => Case | null> {
  const targetOf = (c: Case) => c.relatedCases.find((related) => related.relation === 'merged_into')?.caseId;
  const missing = [...cases.values()].map(targetOf).filter((id): id is string => Boolean(id) && !cases.has(id as string));
  const targets = missing.length > 0 ? (await deps.mail.readCasesAndCustomer([...new Set(missing)], null)).cases : new Map<string, Case>();
  return (c) => {
    const targetId = c ? targetOf(c) : undefined;
    return (targetId && (cases.get(targetId) ?? targets.get(targetId))) || c;
  };
}

/** The UTC minute of a time, `2026-12-02T11:24`: the key of the acknowledgement rate limit. */
function minuteOf(now: number): string {
  return new Date(now).toISOString().slice(0, 16);
}

/**
 * Who wrote the mail: the From address, or (with no From header at all) the first Reply-To. A From
 * that holds no valid address is recorded as written, so the mail still becomes a case (with a
 * customer of that name and no identity, and no acknowledgement) instead of failing intake until
 * the dead-letter queue takes it.
 */
function senderOf(mail: InboundMail): { sender: string; senderIsAddress: boolean } {
  const address = mail.from?.address ?? (mail.fromAsWritten === null ? mail.replyTo[0]?.address : undefined);
  if (address) {
    try {
      return { sender: normalizeEmail(address), senderIsAddress: true };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
    }
  }
  const written = (mail.fromAsWritten ?? '').trim();
  return { sender: written === '' ? '(no sender)' : written, senderIsAddress: false };
}

/**
 * The new content as stored: quote stripping reads at most `replyScanMaxBytes` (the new content is
 * at the top), and what is stored is cut to `textMaxBytes`. `textTruncated` says the stored text is
 * not all the mail said; the raw message has the rest.
 */
function storedText(full: string): { text: string; textTruncated: boolean } {
  const scanned = truncateUtf8(full, MAIL_BOUNDS.replyScanMaxBytes);
  const reply = extractReplyText(scanned.text);
  const bounded = truncateUtf8(reply, MAIL_BOUNDS.textMaxBytes);
  return { text: bounded.text, textTruncated: bounded.truncated || (scanned.truncated && reply.length >= scanned.text.trim().length) };
}

async function storeAttachments(deps: EmailDeps, mail: InboundMail, messageId: string): Promise<Received['stored']> {
  const attachments: StoredAttachment[] = [];
  const rejected: Received['stored']['rejected'] = [];
  const uploads: Promise<void>[] = [];
  // Mail SES judged spam or infected keeps its attachments apart, where no download reaches them,
  // until a supervisor releases the case.
  const prefix = `${scanVerdict(mail) ? QUARANTINE_PREFIX : ''}attachments/${messageKeyOf(messageId)}`;
  let total = 0;
  for (const [index, attachment] of mail.attachments.entries()) {
    const filename = truncateChars(attachment.filename, MAIL_BOUNDS.filenameMaxChars);
    const reason =
      attachments.length >= MAIL_BOUNDS.attachmentsMax
        ? `over ${MAIL_BOUNDS.attachmentsMax} attachments per message`
        : total + attachment.size > deps.mailSettings.maxAttachmentBytes
          ? `over ${deps.mailSettings.maxAttachmentBytes} bytes per message`
          : null;
    if (reason !== null) {
      rejected.push({ filename, size: attachment.size, reason });
      continue;
    }
    total += attachment.size;
    const key = `${prefix}/${index + 1}-${safeFileName(attachment.filename)}`;
    uploads.push(deps.objects.putAttachment(key, attachment.content, attachment.contentType));
    attachments.push({
      filename,
      contentType: truncateChars(attachment.contentType, MAIL_BOUNDS.filenameMaxChars),
      size: attachment.size,
      checksum: attachment.checksum,
      key,
      inline: attachment.inline,
    });
  }
  // The uploads are independent: sending them together keeps a many-attachment mail to one round trip.
  await Promise.all(uploads);
  return { attachments, rejected: summarizeRejected(rejected) };
}

/** Past `rejectedListMax` entries, one entry counts the rest, so the list stays bounded and still accounts for every part. */
function summarizeRejected(rejected: Received['stored']['rejected']): Received['stored']['rejected'] {
  if (rejected.length <= MAIL_BOUNDS.rejectedListMax) return rejected;
  const listed = rejected.slice(0, MAIL_BOUNDS.rejectedListMax - 1);
  const rest = rejected.slice(MAIL_BOUNDS.rejectedListMax - 1);
  const reasons = [...new Set(rest.map((entry) => entry.reason))].join('; ');
  return [
    ...listed,
    { filename: `(${rest.length} more attachments)`, size: rest.reduce((sum, entry) => sum + entry.size, 0), reason: reasons },
  ];
}

/** Object keys keep letters of any script, digits, dot, dash and underscore. */
function safeFileName(name: string): string {
  return (
    name
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .slice(0, 60) || 'attachment'
  );
}

/**
 * A delivery report: recorded on the case whose outbound mail bounced (found by the bounced
 * message's Message-ID), never a new case. A report we cannot place is left in the bucket and logged.
 */
async function recordBounce(deps: EmailDeps, mail: InboundMail, messageId: string, rawKey: string): Promise<ReceiveOutcome> {
  const bounced = mail.deliveryReport?.originalMessageId ?? mail.inReplyTo[0] ?? mail.references.at(-1) ?? null;
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    const snapshot = await deps.mail.readSnapshot({
      identities: [],
      messageIds: [messageId, ...(bounced ? [bounced] : [])],
      caseSequences: [],
      fingerprint: messageId,
      acknowledgedSender: '',
    });
    if (snapshot.caseIdByMessageId.has(messageId)) return { outcome: 'duplicate', messageId };
    const caseId = bounced ? snapshot.caseIdByMessageId.get(bounced) : undefined;
    if (!caseId) return { outcome: 'bounce_unmatched', messageId };
    const { cases } = await deps.mail.readCasesAndCustomer([caseId], null);
    const target = cases.get(caseId);
    if (!target) return { outcome: 'bounce_unmatched', messageId };

    const report = mail.deliveryReport;
    const bounded = truncateUtf8(mail.text.trim(), MAIL_BOUNDS.textMaxBytes);
    const received: Received = {
      messageId,
      text: bounded.text,
      textTruncated: bounded.truncated,
      stored: { attachments: [], rejected: [] },
      rawKey,
      sender: mail.from?.address ?? 'mailer-daemon',
      senderVerified: false,
      senderIsAddress: mail.from !== null,
    };
    const message = inboundMessage(
      deps,
      mail,
      received,
      caseId,
      { method: 'bounce', confidence: 'high' },
      `delivery report: ${report?.status ?? 'unknown status'}`,
      'bounce',
    );
    try {
      await deps.mail.commit({
        changedCase: { case: { ...target, updatedAt: isoNow(deps.clock), version: target.version + 1 }, expectedVersion: target.version },
        messages: [message],
        messageIds: [{ messageId, caseId, messageItemId: message.id, unique: true }],
        timeline: [
          entry(deps, caseId, 'email.bounced', {
            bouncedMessageId: bounced,
            recipients: report?.recipients ?? [],
            action: report?.action ?? null,
            status: report?.status ?? null,
            diagnostic: report?.diagnostic ?? null,
          }),
        ],
      });
      return { outcome: 'bounce_recorded', caseId, messageId };
    } catch (error) {
      if (!(error instanceof CommitConflict)) throw error;
      if (error.reason === 'duplicate') return { outcome: 'duplicate', messageId };
      await deps.backoff(attempt);
    }
  }
  throw new ContentionError(`could not record the bounce ${messageId}`);
}
