import type { Actor } from '#platform/domain/actor';
import type { Case } from '#cases';
import { diffCase } from '#cases';
import { transition } from '#cases';
import { isoNow } from '#platform/domain/clock';
import { normalizeEmail } from '#customers';
import { type CaseMessage, queuedEmail } from '#cases';
import { senderAddressOf } from '../domain/mail-settings.js';
import { referenceMarker, replySubject } from '../domain/reference.js';
import { BusinessRuleError, VersionConflictError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import type { EmailDeps } from './deps.js';
import { type CaseViewer, getCaseDetail, SEES_ALL } from '#cases';

export type ReplyDeps = Pick<EmailDeps, 'cases' | 'mail' | 'clock' | 'ids' | 'mailSettings'>;

export interface ReplyInput {
  caseId: string;
  /** Who replies, as case visibility sees them: a case they may not see is not found (absent: sees all). */
  viewer?: CaseViewer | undefined;
  body: string;
  /** One of the case's participants (or its customer); the customer's address when not given. */
  to?: string | undefined;
  cc?: string[] | undefined;
  /** Move the case to `pending` (waiting on the customer) instead of `open`. */
  awaitCustomer?: boolean | undefined;
}

/**
 * An agent answers the customer by email.
 *
 * 1. Read the case with its messages; the reply goes to the case's customer, or to the participant
 *    the agent chose, never simply to whoever wrote last (anyone can write into a thread that names
 *    the case), quoting the last inbound message's Message-ID so the mail client keeps the thread.
 * 2. Stamp the first response, and move the case: `new` → `open` (or `pending` when the agent now
 *    waits on the customer); a waiting request also moves `open` to `pending`.
 * 3. Queue the reply in the outbox with the case number in the subject and the reference marker in
 *    the text, and commit it with the case change and its audit entry in one transaction. The
 *    outbox sender hands it to SES.
 *
 * @throws NotFoundError, BusinessRuleError (closed, quarantined, no address, or `to` not a participant), VersionConflictError
 */
export async function replyToCase(deps: ReplyDeps, input: ReplyInput, actor: Actor): Promise<CaseMessage> {
  const { case: current, messages } = await getCaseDetail(deps, input.caseId, input.viewer ?? SEES_ALL);
  if (current.status === 'closed' || current.status === 'quarantined') {
    throw new BusinessRuleError(`a ${current.status} case takes no replies`, { status: current.status });
  }
  const lastInbound = [...messages.items].reverse().find((message) => message.direction === 'inbound' && message.kind === 'message');
  const to = input.to === undefined ? current.customer.email : normalizeEmail(input.to);
  if (!to) throw new BusinessRuleError('the case has no email address to reply to', { caseId: current.id });
  if (input.to !== undefined && to !== current.customer.email?.toLowerCase() && !current.participants.includes(to)) {
    throw new BusinessRuleError('a reply goes to the customer or one of the case participants', { to, participants: current.participants });
  }
  const cc = [...new Set((input.cc ?? []).map((address) => normalizeEmail(address)))];

  const now = isoNow(deps.clock);
  const moved = nextStatus(deps, current, input.awaitCustomer === true);
  const changed: Case = {
    ...moved,
    firstResponseAt: current.firstResponseAt ?? now,
    // The customer's waiting messages are answered: the response clocks stop here.
    awaitingResponseSince: null,
    metrics: { ...moved.metrics, lastResponseAt: now },
    participants: [...new Set([...current.participants, ...cc])].slice(0, 50),
    updatedAt: now,
    version: current.version + 1,
  };
  const id = deps.ids.newId();
  const reply = queuedEmail({
    id,
    caseId: current.id,
    kind: 'reply',
    from: senderAddressOf(deps.mailSettings, current.queue),
    fromName: deps.mailSettings.senderName,
    to: [to],
    cc,
    subject: replySubject(current.number, lastInbound?.subject ?? current.subject),
    text: `${input.body.trim()}\n\n${referenceMarker(current.number, current.replyToken)}`,
    messageId: `<${id.toLowerCase()}.${current.number.toLowerCase()}@${deps.mailSettings.domain}>`,
    inReplyTo: lastInbound ? [lastInbound.messageId] : [],
    references: lastInbound ? [...lastInbound.references, lastInbound.messageId] : [],
    threading: 'agent_reply',
    automation: null,
    authorId: actor.id,
    createdAt: now,
  });
  try {
    await deps.mail.commit({
      changedCase: { case: changed, expectedVersion: current.version },
      messages: [reply],
      messageIds: [{ messageId: reply.messageId, caseId: current.id, messageItemId: reply.id, unique: true }],
      timeline: [
        {
          id: deps.ids.newId(),
          caseId: current.id,
          at: now,
          actor: { kind: actor.kind, id: actor.id },
          action: 'email.reply_queued',
          changes: diffCase(current, changed),
          data: { messageId: reply.messageId, to: reply.to, cc: reply.cc, firstResponse: current.firstResponseAt === null },
        },
      ],
    });
  } catch (error) {
    if (error instanceof CommitConflict) throw new VersionConflictError('case', current.id, current.version);
    throw error;
  }
  return reply;
}

function nextStatus(deps: ReplyDeps, current: Case, awaitCustomer: boolean): Case {
  if (awaitCustomer && ['new', 'open', 'on_hold'].includes(current.status)) return transition(current, 'wait_on_customer', deps.clock);
  if (!awaitCustomer && current.status === 'new') return transition(current, 'open', deps.clock);
  return current;
}
