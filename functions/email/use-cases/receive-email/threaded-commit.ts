import type { Case } from '#cases';
import { transition } from '#cases';
import { isoNow } from '#platform/domain/clock';
import { automationOf, scanVerdict } from '../../domain/automation.js';
import type { MailCommit } from '../../domain/email-ports.js';
import type { InboundMail } from '../../domain/inbound-mail.js';
import type { ThreadDecision } from '../../domain/threading.js';
import type { EmailDeps } from '../deps.js';
import { MAIL_BOUNDS } from '../../domain/mail-bounds.js';
import { entry, inboundMessage, type ReceiveOutcome, type Received } from './records.js';

/** The commit of a mail that belongs to an existing case: the message, and a reopen or resume the reply calls for. */
export function threadedCommit(
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
  // Only a sender whose mail proves its From joins the case; Cc addresses stay on the message, as
  // adding them would let anyone on a Cc line into the case without a person deciding it.
  const joins =
    received.senderIsAddress && received.senderVerified && !received.sender.endsWith(`@${deps.mailSettings.domain}`)
      ? [received.sender]
      : [];
  const changed: Case = {
    ...reopened,
    awaitingResponseSince: fromPerson ? (target.awaitingResponseSince ?? isoNow(deps.clock)) : target.awaitingResponseSince,
    participants: [...new Set([...target.participants, ...joins])].slice(0, MAIL_BOUNDS.participantsMax),
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
