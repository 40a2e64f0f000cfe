import type { Case } from '#cases/domain/case';
import type { Customer } from '#customers/domain/customer';
import type { CaseMessage } from '#cases/domain/case-message';
import type { DeliveryEvent, MailCommit, MailObjectStore, MailSnapshot, MailSnapshotRequest, MailStore } from '#email/domain/email-ports';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { identityKey } from '#customers/domain/customer-ports';
import type { InMemoryCasesDb } from './in-memory-cases-db.js';

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The mail side of the cases table in memory, over the same state as `InMemoryCasesDb`, with the
 * DynamoDB adapter's all-or-nothing commits and conditions; for unit tests of the mail use cases.
 */
export class InMemoryMailStore implements MailStore {
  readonly caseIdByMessageId = new Map<string, string>();
  readonly fingerprints = new Map<string, { caseId: string; expiresAt: string }>();
  readonly acknowledgements = new Map<string, string[]>();
  readonly messageItemIdByMessageId = new Map<string, string>();
  /** Acknowledgements taken per minute, all senders together. */
  readonly acknowledgementRate = new Map<string, number>();
  readonly suppressions = new Map<string, { reason: 'bounced' | 'complained'; at: string }>();

  constructor(
    private readonly db: InMemoryCasesDb,
    private readonly now: () => number,
  ) {}

  async readSnapshot(request: MailSnapshotRequest): Promise<MailSnapshot> {
    const owners = new Map<string, string>();
    for (const identity of request.identities) {
      const owner = this.db.ownerByIdentity.get(identityKey(identity));
      if (owner) owners.set(identityKey(identity), owner);
    }
    const fingerprint = this.fingerprints.get(request.fingerprint);
    return {
      lastCaseSequence: this.db.lastSequence,
      ownerByIdentity: owners,
      caseIdByMessageId: new Map(
        request.messageIds.flatMap((id) => {
          const caseId = this.caseIdByMessageId.get(id.toLowerCase());
          return caseId ? [[id, caseId] as const] : [];
        }),
      ),
      caseIdBySequence: new Map(
        request.caseSequences.flatMap((sequence) => {
          const caseId = this.db.caseIdBySequence.get(sequence);
          return caseId ? [[sequence, caseId] as const] : [];
        }),
      ),
      fingerprintCaseId: fingerprint && Date.parse(fingerprint.expiresAt) > this.now() ? fingerprint.caseId : null,
      acknowledgedAt: this.acknowledgements.get(request.acknowledgedSender) ?? null,
      suppressed: this.suppressions.has(request.acknowledgedSender.toLowerCase()),
    };
  }

  async readCasesAndCustomer(
    caseIds: string[],
    customerId: string | null,
  ): Promise<{ cases: Map<string, Case>; customer: Customer | null }> {
    const cases = new Map(caseIds.flatMap((id) => (this.db.cases.has(id) ? [[id, clone(this.db.cases.get(id) as Case)] as const] : [])));
    const customer = customerId ? this.db.customers.get(customerId) : undefined;
    return { cases, customer: customer ? clone(customer) : null };
  }

  async commit(commit: MailCommit): Promise<void> {
    if (commit.messageIds.some((index) => index.unique && this.caseIdByMessageId.has(index.messageId.toLowerCase()))) {
      throw new CommitConflict('duplicate');
    }
    if (commit.changedCase && this.db.cases.get(commit.changedCase.case.id)?.version !== commit.changedCase.expectedVersion) {
      throw new CommitConflict('version');
    }
    const expectedAcks = commit.acknowledgements?.expected ?? null;
    if (
      commit.acknowledgements &&
      JSON.stringify(this.acknowledgements.get(commit.acknowledgements.sender) ?? null) !== JSON.stringify(expectedAcks)
    ) {
      throw new CommitConflict('version');
    }
    const [firstEntry, ...laterEntries] = commit.timeline;
    if (commit.newCase && firstEntry) {
      // The new case's `case.created` entry goes in with it, as the DynamoDB adapter writes it.
      await this.db.commitOpenCase({ ...commit.newCase, timeline: firstEntry });
    }
    if (commit.changedCase) this.db.cases.set(commit.changedCase.case.id, clone(commit.changedCase.case));
    for (const message of commit.messages) {
      this.db.messages.set(message.caseId, [...(this.db.messages.get(message.caseId) ?? []), clone(message)]);
    }
    for (const index of commit.messageIds) {
      this.caseIdByMessageId.set(index.messageId.toLowerCase(), index.caseId);
      this.messageItemIdByMessageId.set(index.messageId.toLowerCase(), index.messageItemId);
    }
    for (const entry of commit.newCase ? laterEntries : commit.timeline)
      this.db.timeline.set(entry.caseId, [...(this.db.timeline.get(entry.caseId) ?? []), clone(entry)]);
    if (commit.fingerprint)
      this.fingerprints.set(commit.fingerprint.value, { caseId: commit.fingerprint.caseId, expiresAt: commit.fingerprint.expiresAt });
    if (commit.acknowledgements) this.acknowledgements.set(commit.acknowledgements.sender, [...commit.acknowledgements.next]);
  }

  async getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null> {
    const found = (this.db.messages.get(caseId) ?? []).find((message) => message.id === messageItemId);
    return found ? clone(found) : null;
  }

  async listMessages(caseId: string): Promise<CaseMessage[]> {
    return clone(this.db.messages.get(caseId) ?? []);
  }

  async takeAcknowledgementSlot(minute: string, limit: number): Promise<boolean> {
    const taken = this.acknowledgementRate.get(minute) ?? 0;
    if (taken >= limit) return false;
    this.acknowledgementRate.set(minute, taken + 1);
    return true;
  }

  async findMessageByMessageId(messageIds: string[]): Promise<{ caseId: string; messageItemId: string } | null> {
    for (const id of messageIds) {
      const caseId = this.caseIdByMessageId.get(id.toLowerCase());
      const messageItemId = this.messageItemIdByMessageId.get(id.toLowerCase());
      if (caseId && messageItemId) return { caseId, messageItemId };
    }
    return null;
  }

  async recordDeliveryEvent(event: DeliveryEvent): Promise<boolean> {
    const message = (this.db.messages.get(event.caseId) ?? []).find((candidate) => candidate.id === event.messageItemId);
    if (!message?.delivery || message.delivery.status === event.status) return false;
    message.delivery = { ...message.delivery, status: event.status, error: event.error };
    this.db.timeline.set(event.caseId, [...(this.db.timeline.get(event.caseId) ?? []), clone(event.timeline)]);
    for (const { address, reason, at } of event.suppress) this.suppressions.set(address.toLowerCase(), { reason, at });
    return true;
  }
}

/** The mail bucket in memory. */
export class InMemoryMailObjects implements MailObjectStore {
  readonly objects = new Map<string, { content: Uint8Array; contentType: string }>();

  async getRaw(key: string): Promise<Uint8Array> {
    const found = this.objects.get(key);
    if (!found) throw new Error(`no object ${key}`);
    return found.content;
  }

  async putAttachment(key: string, content: Uint8Array, contentType: string): Promise<void> {
    this.objects.set(key, { content, contentType });
  }
}
