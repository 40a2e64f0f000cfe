import type { Case, CaseRelation } from '#cases';
import type { ThreadingConfidence, ThreadingMethod } from '#cases';

/** What the intake found about a message before deciding where it belongs. */
export interface ThreadEvidence {
  sender: string;
  /** Whether SES's Authentication-Results prove the From address (see `senderVerdict`). */
  senderVerified: boolean;
  /** Why the mail is automated (an auto-reply, a list, a system sender), or null when a person wrote it. */
  automation: string | null;
  /** Cases whose number and secret token a reference marker in the message named correctly. */
  tokenCase: Case | null;
  /** The case of a Message-ID in In-Reply-To/References that we stored (inbound or outbound). */
  headerCase: Case | null;
  /** A case named by `[CS-…]` in the subject (token missing or wrong). */
  subjectCase: Case | null;
  /** Whether the message names a case: a case number in its subject or a reference marker, valid or not. */
  namesCase: boolean;
  /** The case a message of the same sender, subject and text opened minutes ago. */
  duplicateOf: Case | null;
  /** Whether SES judged the mail spam or infected: its attachments are stored under `quarantine/`. */
  quarantined: boolean;
}

export type ThreadDecision =
  | { kind: 'attach'; case: Case; method: ThreadingMethod; confidence: ThreadingConfidence; reopen: boolean }
  | { kind: 'new'; related: { case: Case; relation: CaseRelation } | null }
  | { kind: 'drop'; reason: string };

/**
 * Where an inbound message belongs, in the order of trust: a correct reference token, then our
 * Message-IDs in its headers, then a case number in the subject, but only from someone who already
 * took part in that case and whose mail proves its From address (anyone can write any From). A
 * stranger, or an unproven sender, naming a number gets a new case that records the possible
 * relation, so nobody can read or write into another customer's case by guessing numbers.
 * A found case that is closed, or resolved longer ago than the reopen window, is not reopened:
 * the message opens a follow-up case linked to it.
 *
 * Automated mail (out-of-office replies, lists, system senders) never changes a case's status and
 * never opens a follow-up: it is recorded on the case it names, whatever its status; when it names
 * a case (by number or marker) it may not join, it is dropped (the caller logs it), as no person
 * waits for an answer to it. Automated mail that names no case opens one, unacknowledged.
 *
 * Mail SES judged spam or infected joins only a case that is itself quarantined; where it would
 * join any other, it opens a new (quarantined) case related to that one.
 */
export function decideThread(evidence: ThreadEvidence, now: number, reopenWindowDays: number): ThreadDecision {
  const decision = threadOf(evidence, now, reopenWindowDays);
  // Quarantine is a case's status, and only releasing a case moves attachments out of
  // `quarantine/`: mail SES judged spam or infected never joins a case that is not held, or its
  // attachments would stay unreadable for good (and its content would reach the case unchecked).
  // It opens a held case of its own, linked to the one it named, which a supervisor may release.
  if (evidence.quarantined && decision.kind === 'attach' && decision.case.status !== 'quarantined') {
    return { kind: 'new', related: { case: decision.case, relation: 'possibly_same_thread_as' } };
  }
  return decision;
}

function threadOf(evidence: ThreadEvidence, now: number, reopenWindowDays: number): ThreadDecision {
  const participant = (c: Case) => c.participants.includes(evidence.sender) || c.customer.email === evidence.sender;
  const found: { case: Case; method: ThreadingMethod; confidence: ThreadingConfidence } | null = evidence.tokenCase
    ? { case: evidence.tokenCase, method: 'reference_token', confidence: 'high' }
    : evidence.headerCase
      ? { case: evidence.headerCase, method: 'header', confidence: 'high' }
      : evidence.subjectCase && evidence.senderVerified && participant(evidence.subjectCase)
        ? { case: evidence.subjectCase, method: 'subject_number', confidence: 'medium' }
        : null;

  if (!found) {
    if (evidence.duplicateOf) {
      return { kind: 'attach', case: evidence.duplicateOf, method: 'duplicate_content', confidence: 'high', reopen: false };
    }
    if (evidence.automation !== null && evidence.namesCase) {
      return { kind: 'drop', reason: `automated mail (${evidence.automation}) naming no case it may join` };
    }
    return {
      kind: 'new',
      related: evidence.subjectCase ? { case: evidence.subjectCase, relation: 'possibly_same_thread_as' } : null,
    };
  }

  const target = found.case;
  if (evidence.automation !== null) return { ...found, kind: 'attach', reopen: false };
  if (target.status === 'closed') return { kind: 'new', related: { case: target, relation: 'follow_up_of' } };
  if (target.status === 'resolved') {
    const resolvedAt = Date.parse(target.resolvedAt ?? target.statusChangedAt);
    const withinWindow = now - resolvedAt <= reopenWindowDays * 24 * 60 * 60 * 1000;
    if (!withinWindow) return { kind: 'new', related: { case: target, relation: 'follow_up_of' } };
    return { ...found, kind: 'attach', reopen: true };
  }
  return { ...found, kind: 'attach', reopen: false };
}
