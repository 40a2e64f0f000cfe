import { systemActor } from '#platform/domain/actor';
import type { Case } from '#cases';
import { parseCaseNumber } from '#cases';
import type { TimelineEntry } from '#cases';
import { transition } from '#cases';
import { isoNow } from '#platform/domain/clock';
import type { Customer, Identity } from '#customers';
import { normalizeEmail } from '#customers';
import { acknowledgementText } from '../domain/acknowledgement.js';
import { automationOf, isBounce, scanVerdict } from '../domain/automation.js';
import { type CaseMessage, queuedEmail, type StoredAttachment, type ThreadingConfidence, type ThreadingMethod } from '#cases';
import { classify } from '../domain/classification.js';
import type { MailCommit, MailSnapshot } from '../domain/email-ports.js';
import { mailFingerprint, messageKeyOf, syntheticMessageId } from '../domain/fingerprint.js';
import type { InboundMail } from '../domain/inbound-mail.js';
import { mailboxOf } from '../domain/mail-settings.js';
import { caseNumbersInSubject, referenceMarker, subjectTag } from '../domain/reference.js';
import { extractReplyText, findReferenceTokens } from '../domain/reply-text.js';
import { decideThread, type ThreadDecision } from '../domain/threading.js';
import { ContentionError, ValidationError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { buildNewCase, ownerOf, resolveCustomer } from '#cases';
import { MAX_COMMIT_ATTEMPTS } from '#platform/domain/commit-conflict';
import type { EmailDeps } from './deps.js';

export type ReceiveOutcome =
  | { outcome: 'new_case'; caseId: string; caseNumber: string; acknowledged: boolean; messageId: string }
  | { outcome: 'threaded'; caseId: string; caseNumber: string; method: ThreadingMethod; reopened: boolean; messageId: string }
  | { outcome: 'duplicate'; messageId: string }
  | { outcome: 'bounce_recorded'; caseId: string; messageId: string }
  | { outcome: 'bounce_unmatched'; messageId: string };

/** Message-IDs of a message we look up at most: its own and the nearest it refers to. */
const MAX_REFERENCED_IDS = 20;
const INTAKE = systemActor('email-intake');

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
 * 5. Decide the thread (token, headers, subject number from a participant) and reopen or open a
 *    follow-up as the reopen window says; else open a new case, classified by language and rules,
 *    quarantined when SES judged the mail spam or infected.
 * 6. Queue an acknowledgement for a new case unless the mail is automated, quarantined, from us,
 *    or the sender had enough acknowledgements this hour.
 * 7. Commit it all in one transaction. A repeated delivery stops at its known Message-ID; a lost
 *    race re-reads and retries.
 */
export async function receiveEmail(deps: EmailDeps, input: { rawKey: string }): Promise<ReceiveOutcome> {
  const raw = await deps.objects.getRaw(input.rawKey);
  const mail = await deps.parser.parse(raw);
  const messageId = mail.messageId ?? syntheticMessageId(raw);
  if (isBounce(mail)) return recordBounce(deps, mail, messageId, input.rawKey);

  const sender = senderOf(mail);
  const stored = await storeAttachments(deps, mail, messageId);
  const text = extractReplyText(mail.text);
  const markers = findReferenceTokens(`${mail.subject}\n${mail.text}`);
  const namedNumbers = [...new Set([...markers.map((marker) => marker.caseNumber), ...caseNumbersInSubject(mail.subject)])];
  const referenced = [...mail.inReplyTo, ...[...mail.references].reverse()].slice(0, MAX_REFERENCED_IDS);
  const identities: Identity[] = [{ type: 'email', value: sender }];
  const fingerprint = mailFingerprint(sender, mail.subject, text);

  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
    const snapshot = await deps.mail.readSnapshot({
      identities,
      messageIds: [messageId, ...referenced],
      caseSequences: namedNumbers.map((n) => parseCaseNumber(n)).filter((n): n is number => n !== null),
      fingerprint,
      acknowledgedSender: sender,
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
        tokenCase: merged(tokenCase),
        headerCase: merged(headerCaseId ? (cases.get(headerCaseId) ?? null) : null),
        subjectCase: merged(subjectNumber ? (cases.get(caseIdOfNumber(subjectNumber) ?? '') ?? null) : null),
        duplicateOf: merged(snapshot.fingerprintCaseId ? (cases.get(snapshot.fingerprintCaseId) ?? null) : null),
      },
      deps.clock.now(),
      deps.mailSettings.reopenWindowDays,
    );

    const commit =
      decision.kind === 'attach'
        ? threadedCommit(deps, mail, { messageId, text, stored, rawKey: input.rawKey, sender }, decision)
        : newCaseCommit(deps, mail, { messageId, text, stored, rawKey: input.rawKey, sender, fingerprint }, snapshot, customer, decision);
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

interface Received {
  messageId: string;
  text: string;
  stored: { attachments: StoredAttachment[]; rejected: CaseMessage['rejectedAttachments'] };
  rawKey: string;
  sender: string;
}

function senderOf(mail: InboundMail): string {
  const address = mail.from?.address ?? mail.replyTo[0]?.address;
  if (!address) throw new ValidationError('the mail has no sender address', [{ path: 'from', message: 'missing From' }]);
  return normalizeEmail(address);
}

async function storeAttachments(deps: EmailDeps, mail: InboundMail, messageId: string): Promise<Received['stored']> {
  const attachments: StoredAttachment[] = [];
  const rejected: Received['stored']['rejected'] = [];
  const uploads: Promise<void>[] = [];
  const prefix = `attachments/${messageKeyOf(messageId)}`;
  let total = 0;
  for (const [index, attachment] of mail.attachments.entries()) {
    if (total + attachment.size > deps.mailSettings.maxAttachmentBytes) {
      rejected.push({
        filename: attachment.filename,
        size: attachment.size,
        reason: `over ${deps.mailSettings.maxAttachmentBytes} bytes per message`,
      });
      continue;
    }
    total += attachment.size;
    const key = `${prefix}/${index + 1}-${safeFileName(attachment.filename)}`;
    uploads.push(deps.objects.putAttachment(key, attachment.content, attachment.contentType));
    attachments.push({
      filename: attachment.filename,
      contentType: attachment.contentType,
      size: attachment.size,
      checksum: attachment.checksum,
      key,
      inline: attachment.inline,
    });
  }
  // The uploads are independent: sending them together keeps a many-attachment mail to one round trip.
  await Promise.all(uploads);
  return { attachments, rejected };
}

/** Object keys keep letters of any script, digits, dot, dash and underscore. */
function safeFileName(name: string): string {
  return (
    name
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .slice(0, 120) || 'attachment'
  );
}

function inboundMessage(
  deps: EmailDeps,
  mail: InboundMail,
  received: Received,
  caseId: string,
  threading: { method: ThreadingMethod; confidence: ThreadingConfidence },
  automation: string | null,
  kind: CaseMessage['kind'] = 'message',
): CaseMessage {
  return {
    id: deps.ids.newId(),
    caseId,
    direction: 'inbound',
    channel: 'email',
    kind,
    from: received.sender,
    fromName: mail.from?.name ?? null,
    to: mail.to.map((address) => address.address),
    cc: mail.cc.map((address) => address.address),
    subject: mail.subject,
    text: received.text,
    messageId: received.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    attachments: received.stored.attachments,
    rejectedAttachments: received.stored.rejected,
    threading,
    automation,
    rawKey: received.rawKey,
    authorId: null,
    delivery: null,
    createdAt: isoNow(deps.clock),
  };
}

function entry(
  deps: EmailDeps,
  caseId: string,
  action: string,
  data: Record<string, unknown>,
  changes: TimelineEntry['changes'] = [],
): TimelineEntry {
  return { id: deps.ids.newId(), caseId, at: isoNow(deps.clock), actor: { kind: INTAKE.kind, id: INTAKE.id }, action, changes, data };
}

function threadedCommit(
  deps: EmailDeps,
  mail: InboundMail,
  received: Received,
  decision: Extract<ThreadDecision, { kind: 'attach' }>,
): { commit: MailCommit; outcome: ReceiveOutcome } {
  const target = decision.case;
  const automation = automationOf(mail, deps.mailSettings) ?? (scanVerdict(mail) ? `ses verdict: ${scanVerdict(mail)}` : null);
  const message = inboundMessage(deps, mail, received, target.id, { method: decision.method, confidence: decision.confidence }, automation);
  // A person's reply wants an answer: a case waiting on the customer goes back to the team, and the
  // response clock starts at the oldest unanswered message. Auto-replies and the like change neither.
  const fromPerson = automation === null;
  const reopened = decision.reopen
    ? transition(target, 'reopen', deps.clock)
    : fromPerson && target.status === 'pending'
      ? transition(target, 'resume', deps.clock)
      : target;
  const addresses = [received.sender, ...message.cc].filter((address) => !address.endsWith(`@${deps.mailSettings.domain}`));
  const changed: Case = {
    ...reopened,
    awaitingResponseSince: fromPerson ? (target.awaitingResponseSince ?? isoNow(deps.clock)) : target.awaitingResponseSince,
    participants: [...new Set([...target.participants, ...addresses])].slice(0, 50),
    updatedAt: isoNow(deps.clock),
    version: target.version + 1,
  };
  const timeline = [
    entry(deps, target.id, 'email.received', {
      messageId: received.messageId,
      from: received.sender,
      method: decision.method,
      confidence: decision.confidence,
    }),
    ...(decision.reopen
      ? [
          entry(deps, target.id, 'case.reopened', { reason: 'customer replied within the reopen window' }, [
            { field: 'status', before: target.status, after: changed.status },
          ]),
        ]
      : []),
    ...(!decision.reopen && changed.status !== target.status
      ? [
          entry(deps, target.id, 'case.resumed', { reason: 'the customer replied' }, [
            { field: 'status', before: target.status, after: changed.status },
          ]),
        ]
      : []),
  ];
  return {
    commit: {
      changedCase: { case: changed, expectedVersion: target.version },
      messages: [message],
      messageIds: [{ messageId: received.messageId, caseId: target.id, messageItemId: message.id, unique: true }],
      timeline,
    },
    outcome: {
      outcome: 'threaded',
      caseId: target.id,
      caseNumber: target.number,
      method: decision.method,
      reopened: decision.reopen,
      messageId: received.messageId,
    },
  };
}

function newCaseCommit(
  deps: EmailDeps,
  mail: InboundMail,
  received: Received & { fingerprint: string },
  snapshot: MailSnapshot,
  existingCustomer: Customer | null,
  decision: Extract<ThreadDecision, { kind: 'new' }>,
): { commit: MailCommit; outcome: ReceiveOutcome } {
  const settings = deps.mailSettings;
  const mailbox = mailboxOf(settings, [...mail.deliveredTo, ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)]);
  const language = deps.language.detect(`${mail.subject}\n${received.text}`);
  const classification = classify(mail.subject, received.text, deps.rules);
  const verdict = scanVerdict(mail);
  const automation = automationOf(mail, settings);
  const identities: Identity[] = [{ type: 'email', value: received.sender }];
  const resolved = resolveCustomer(deps, snapshot.ownerByIdentity, identities, existingCustomer, {
    name: mail.from?.name ?? null,
    language,
  });
  const created = buildNewCase(
    deps,
    {
      subject: mail.subject || '(no subject)',
      description: received.text,
      channel: 'email',
      queue: mailbox.queue,
      language: language ?? resolved.customer.preferredLanguage,
      priority: classification.priority,
      category: classification.category,
      tags: classification.tags,
      status: verdict ? 'quarantined' : 'new',
      relatedCases: decision.related
        ? [{ caseId: decision.related.case.id, number: decision.related.case.number, relation: decision.related.relation }]
        : [],
      auditData: { mailbox: mailbox.address, rules: classification.rules, ...(verdict ? { quarantined: verdict } : {}) },
    },
    snapshot.lastCaseSequence + 1,
    resolved.customer,
    INTAKE,
  );
  const ccAddresses = mail.cc.map((a) => a.address).filter((address) => !address.endsWith(`@${settings.domain}`));
  const newCase: Case = { ...created.case, participants: [...new Set([...created.case.participants, received.sender, ...ccAddresses])] };
  const inbound = inboundMessage(
    deps,
    mail,
    received,
    newCase.id,
    { method: 'new_case', confidence: 'none' },
    automation ?? (verdict ? `ses verdict: ${verdict}` : null),
  );

  const now = deps.clock.now();
  const recent = (snapshot.acknowledgedAt ?? []).filter((at) => now - Date.parse(at) < 60 * 60 * 1000);
  const mayAcknowledge = !automation && !verdict && recent.length < settings.acknowledgementsPerSenderPerHour;
  const acknowledgement = mayAcknowledge ? acknowledgementMessage(deps, newCase, inbound, mailbox.address) : null;

  const commit: MailCommit = {
    newCase: {
      case: newCase,
      customer: resolved.customer,
      createCustomer: resolved.isNew,
      claimIdentities: resolved.claim,
      expectedLastSequence: snapshot.lastCaseSequence,
    },
    messages: acknowledgement ? [inbound, acknowledgement] : [inbound],
    messageIds: [
      { messageId: received.messageId, caseId: newCase.id, messageItemId: inbound.id, unique: true },
      ...(acknowledgement
        ? [{ messageId: acknowledgement.messageId, caseId: newCase.id, messageItemId: acknowledgement.id, unique: true }]
        : []),
    ],
    timeline: [
      created.timeline,
      entry(deps, newCase.id, 'email.received', {
        messageId: received.messageId,
        from: received.sender,
        method: 'new_case',
        automation: inbound.automation,
      }),
      ...(decision.related
        ? [
            entry(deps, newCase.id, 'case.linked', {
              caseId: decision.related.case.id,
              number: decision.related.case.number,
              relation: decision.related.relation,
            }),
          ]
        : []),
      ...(received.stored.rejected.length > 0
        ? [entry(deps, newCase.id, 'email.attachments_rejected', { attachments: received.stored.rejected })]
        : []),
      ...(acknowledgement
        ? [entry(deps, newCase.id, 'email.acknowledgement_queued', { messageId: acknowledgement.messageId, language: newCase.language })]
        : []),
    ],
    fingerprint: {
      value: received.fingerprint,
      caseId: newCase.id,
      expiresAt: new Date(now + settings.duplicateWindowMinutes * 60 * 1000).toISOString(),
    },
    ...(acknowledgement
      ? {
          acknowledgements: {
            sender: received.sender,
            expected: snapshot.acknowledgedAt,
            next: [...recent, isoNow(deps.clock)],
            expiresAt: new Date(now + 60 * 60 * 1000).toISOString(),
          },
        }
      : {}),
  };
  return {
    commit,
    outcome: {
      outcome: 'new_case',
      caseId: newCase.id,
      caseNumber: newCase.number,
      acknowledged: Boolean(acknowledgement),
      messageId: received.messageId,
    },
  };
}

/** The acknowledgement of a new case, queued in the outbox in the same transaction as the case. */
function acknowledgementMessage(deps: EmailDeps, c: Case, inbound: CaseMessage, mailbox: string): CaseMessage {
  const template = acknowledgementText(c.language, c.number);
  const id = deps.ids.newId();
  return queuedEmail({
    id,
    caseId: c.id,
    kind: 'acknowledgement',
    from: mailbox,
    fromName: deps.mailSettings.senderName,
    to: [inbound.from],
    subject: `${template.subject}: ${inbound.subject || '(no subject)'} ${subjectTag(c.number)}`,
    text: `${template.text}\n\n${referenceMarker(c.number, c.replyToken)}`,
    messageId: `<${id.toLowerCase()}.${c.number.toLowerCase()}@${deps.mailSettings.domain}>`,
    inReplyTo: [inbound.messageId],
    references: [...inbound.references, inbound.messageId],
    threading: 'acknowledgement',
    automation: 'acknowledgement',
    createdAt: isoNow(deps.clock),
  });
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
    const received: Received = {
      messageId,
      text: mail.text.trim(),
      stored: { attachments: [], rejected: [] },
      rawKey,
      sender: mail.from?.address ?? 'mailer-daemon',
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
