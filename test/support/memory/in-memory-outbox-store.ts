import type { CaseMessage } from '#cases';
import type { DeliveryFailure, OutboxRetry, OutboxStore, SendIntent } from '#email/domain/email-ports';

const clone = <T>(value: T): T => structuredClone(value);

interface SendRecord {
  state: 'intent' | 'accepted' | 'released';
  intentId: string;
  leaseUntil: string;
  providerMessageId: string | null;
  headerMessageIds: string[];
}

/**
 * The outbox as the DynamoDB store keeps it, with the same conditions: message items by case and
 * id, send records by message item id alone, retries by due time. `failNext` makes one write throw,
 * as a crash or a lost connection between two writes would.
 */
export class InMemoryOutboxStore implements OutboxStore {
  readonly messages = new Map<string, CaseMessage>();
  readonly sendRecords = new Map<string, SendRecord>();
  readonly retries: OutboxRetry[] = [];
  readonly indexedMessageIds: string[] = [];
  private failing: { method: keyof OutboxStore; error: Error } | null = null;

  put(message: CaseMessage): void {
    this.messages.set(`${message.caseId}/${message.id}`, clone(message));
  }

  message(caseId: string, id: string): CaseMessage {
    const found = this.messages.get(`${caseId}/${id}`);
    if (!found) throw new Error(`no message ${caseId}/${id}`);
    return clone(found);
  }

  failNext(method: keyof OutboxStore, error = new Error(`${method} failed`)): void {
    this.failing = { method, error };
  }

  private maybeFail(method: keyof OutboxStore): void {
    if (this.failing?.method !== method) return;
    const { error } = this.failing;
    this.failing = null;
    throw error;
  }

  private delivery(caseId: string, id: string) {
    const message = this.messages.get(`${caseId}/${id}`);
    return message?.delivery ?? null;
  }

  async getMessage(caseId: string, messageItemId: string): Promise<CaseMessage | null> {
    this.maybeFail('getMessage');
    const found = this.messages.get(`${caseId}/${messageItemId}`);
    return found ? clone(found) : null;
  }

  async claimDelivery(caseId: string, messageItemId: string, now: string, leaseUntil: string): Promise<'claimed' | 'held' | 'done'> {
    this.maybeFail('claimDelivery');
    const delivery = this.delivery(caseId, messageItemId);
    if (!delivery) return 'done';
    const expired = delivery.status === 'sending' && (delivery.leaseUntil ?? '') < now;
    if (delivery.status !== 'queued' && !expired) return delivery.status === 'sending' ? 'held' : 'done';
    delivery.status = 'sending';
    delivery.leaseUntil = leaseUntil;
    delivery.attempts += 1;
    return 'claimed';
  }

  async beginSend(message: CaseMessage, intent: { intentId: string; leaseUntil: string; now: string }): Promise<SendIntent> {
    this.maybeFail('beginSend');
    const old = this.sendRecords.get(message.id);
    if (old && old.state === 'accepted') {
      return { state: 'accepted', providerMessageId: old.providerMessageId ?? '', headerMessageIds: [...old.headerMessageIds] };
    }
    if (old && old.state === 'intent')
      return old.leaseUntil >= intent.now ? { state: 'in_progress' } : { state: 'in_doubt', intentId: old.intentId };
    this.sendRecords.set(message.id, {
      state: 'intent',
      intentId: intent.intentId,
      leaseUntil: intent.leaseUntil,
      providerMessageId: null,
      headerMessageIds: [],
    });
    return { state: 'go' };
  }

  async recordAccepted(messageItemId: string, intentId: string, sent: { providerMessageId: string; headerMessageIds: string[] }) {
    this.maybeFail('recordAccepted');
    const record = this.sendRecords.get(messageItemId);
    if (record?.intentId !== intentId) throw new Error('ConditionalCheckFailed: another intent');
    Object.assign(record, { state: 'accepted', providerMessageId: sent.providerMessageId, headerMessageIds: [...sent.headerMessageIds] });
  }

  async completeDelivery(message: CaseMessage, providerMessageId: string, headerMessageIds: string[]): Promise<void> {
    this.maybeFail('completeDelivery');
    const delivery = this.delivery(message.caseId, message.id);
    if (delivery?.status !== 'sending') throw new Error('CommitConflict: not sending');
    Object.assign(delivery, { status: 'sent', providerMessageId, leaseUntil: null, error: null });
    this.indexedMessageIds.push(...headerMessageIds);
  }

  async failDelivery(caseId: string, messageItemId: string, failure: DeliveryFailure): Promise<void> {
    this.maybeFail('failDelivery');
    const delivery = this.delivery(caseId, messageItemId);
    if (delivery?.status !== 'sending') throw new Error('CommitConflict: not sending');
    if (failure.releaseIntent !== null) {
      const record = this.sendRecords.get(messageItemId);
      if (record?.intentId !== failure.releaseIntent) throw new Error('CommitConflict: another intent');
      record.state = 'released';
    }
    Object.assign(delivery, { status: failure.next, error: failure.error, leaseUntil: null, retryAt: failure.retryAt });
    if (failure.refundAttempt) delivery.attempts -= 1;
    if (failure.next === 'retrying' && failure.retryAt) this.retries.push({ retryAt: failure.retryAt, caseId, messageItemId });
  }

  async listDueRetries(now: string, limit: number): Promise<OutboxRetry[]> {
    return this.retries
      .filter((retry) => retry.retryAt <= now)
      .sort((a, b) => a.retryAt.localeCompare(b.retryAt))
      .slice(0, limit)
      .map(clone);
  }

  async requeue(retry: OutboxRetry): Promise<boolean> {
    const index = this.retries.findIndex((r) => r.retryAt === retry.retryAt && r.messageItemId === retry.messageItemId);
    if (index >= 0) this.retries.splice(index, 1);
    const delivery = this.delivery(retry.caseId, retry.messageItemId);
    if (delivery?.status !== 'retrying') return false;
    Object.assign(delivery, { status: 'queued', retryAt: null });
    return true;
  }
}
