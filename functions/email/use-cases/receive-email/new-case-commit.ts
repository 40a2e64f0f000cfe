import type { Case, CaseMessage, TimelineEntry } from '#cases';
import { buildNewCase, queuedEmail, resolveCustomer } from '#cases';
import type { Customer, Identity } from '#customers';
import { isoNow } from '#platform/domain/clock';
import { acknowledgementText } from '../../domain/acknowledgement.js';
import type { SenderVerdict } from '../../domain/authentication.js';
import { automationOf, scanVerdict } from '../../domain/automation.js';
import { classify } from '../../domain/classification.js';
import type { MailCommit, MailSnapshot } from '../../domain/email-ports.js';
import type { InboundMail } from '../../domain/inbound-mail.js';
import { MAIL_BOUNDS } from '../../domain/mail-bounds.js';
import { mailboxOf } from '../../domain/mail-settings.js';
import { referenceMarker, subjectTag } from '../../domain/reference.js';
import type { ThreadDecision } from '../../domain/threading.js';
import type { EmailDeps } from '../deps.js';
import { entry, INTAKE, INVALID_SENDER, inboundMessage, type ReceiveOutcome, type Received } from './records.js';

type NewDecision = Extract<ThreadDecision, { kind: 'new' }>;

/** What else decides whether an acknowledgement may go: the sender's proof and the deployment-wide rate limit. */
export interface AcknowledgementGate {
  authentication: SenderVerdict;
  /** The deployment sent its acknowledgements for this minute. */
  rateLimited: boolean;
}

/**
 * The commit of a mail that opens a case: the case (and its customer, when new), the inbound
 * message, an acknowledgement when one may go, the duplicate fingerprint and the timeline.
 *
 * An acknowledgement goes only to a sender whose mail proves its From address, that never
 * bounced for good or complained, within the per-sender and deployment-wide limits: forged mail
 * must not make our domain send mail to whoever the forger named (backscatter).
 */
export function newCaseCommit(
  deps: EmailDeps,
  mail: InboundMail,
  received: Received & { fingerprint: string },
  snapshot: MailSnapshot,
  existingCustomer: Customer | null,
  decision: NewDecision,
  gate: AcknowledgementGate,
): { commit: MailCommit; outcome: ReceiveOutcome } {
  const settings = deps.mailSettings;
  const opened = openCase(deps, mail, received, snapshot, existingCustomer, decision);
  const { newCase, resolved, verdict, automation } = opened;
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
  const withheld =
    automation || verdict
      ? null
      : !gate.authentication.verified
        ? `the sender is not proven: ${gate.authentication.reason}`
        : snapshot.suppressed
          ? 'the address bounced for good or complained'
          : recent.length >= settings.acknowledgementsPerSenderPerHour
            ? 'the sender had its acknowledgements this hour'
            : gate.rateLimited
              ? `the deployment sent ${settings.maxAcknowledgementsPerMinute} acknowledgements this minute`
              : null;
  const mayAcknowledge = !automation && !verdict && withheld === null;
  const acknowledgement = mayAcknowledge ? acknowledgementMessage(deps, newCase, inbound, opened.mailbox) : null;

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
    timeline: newCaseTimeline(deps, opened, { received, inbound, acknowledgement, decision }),
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
      acknowledgementWithheld: withheld,
      messageId: received.messageId,
    },
  };
}

/** The case a mail opens, with what decided its shape. */
interface OpenedCase {
  newCase: Case;
  /** The case's `case.created` timeline entry. */
  created: TimelineEntry;
  resolved: ReturnType<typeof resolveCustomer>;
  /** The address the mail reached us at; the acknowledgement comes from it. */
  mailbox: string;
  verdict: ReturnType<typeof scanVerdict>;
  automation: ReturnType<typeof automationOf>;
}

/** Opens the case: mailbox and queue, language, classification, the customer, quarantine on an SES verdict. */
function openCase(
  deps: EmailDeps,
  mail: InboundMail,
  received: Received,
  snapshot: MailSnapshot,
  existingCustomer: Customer | null,
  decision: NewDecision,
): OpenedCase {
  const settings = deps.mailSettings;
  const mailbox = mailboxOf(settings, [...mail.deliveredTo, ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)]);
  const language = deps.language.detect(`${mail.subject}\n${received.text}`);
  const classification = classify(mail.subject, received.text, deps.rules);
  const verdict = scanVerdict(mail);
  const automation = automationOf(mail, settings) ?? (received.senderIsAddress ? null : INVALID_SENDER);
  const identities: Identity[] = received.senderIsAddress ? [{ type: 'email', value: received.sender }] : [];
  const resolved = resolveCustomer(deps, snapshot.ownerByIdentity, identities, existingCustomer, {
    // A From without a valid address names the customer as written, so an agent sees who it claims to be.
    name: received.senderIsAddress ? (mail.from?.name ?? null) : received.sender,
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
  // Whoever an unproven sender names in Cc could be anyone's address: only proven mail adds them.
  const ccAddresses = received.senderVerified
    ? mail.cc.map((a) => a.address).filter((address) => !address.endsWith(`@${settings.domain}`))
    : [];
  const sender = received.senderIsAddress ? [received.sender] : [];
  const participants = [...new Set([...created.case.participants, ...sender, ...ccAddresses])].slice(0, MAIL_BOUNDS.participantsMax);
  const newCase: Case = { ...created.case, participants };
  return { newCase, created: created.timeline, resolved, mailbox: mailbox.address, verdict, automation };
}

/** The new case's timeline: created, the mail received, a link, rejected attachments, a queued acknowledgement. */
function newCaseTimeline(
  deps: EmailDeps,
  opened: OpenedCase,
  parts: { received: Received; inbound: CaseMessage; acknowledgement: CaseMessage | null; decision: NewDecision },
): TimelineEntry[] {
  const { newCase } = opened;
  const { received, inbound, acknowledgement, decision } = parts;
  return [
    opened.created,
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
  ];
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
