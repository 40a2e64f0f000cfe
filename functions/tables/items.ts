import type { Agent } from '#agents';
import type { Case } from '#cases';
import type { TimelineEntry } from '#cases';
import type { Customer } from '#customers';
import type { CaseMessage } from '#cases';
import type { WorkRecord } from '#routing';

/**
 * Item → domain object, field by field. DynamoDB returns attributes in no particular order and an
 * item may carry key and bookkeeping attributes; naming the fields keeps both out of the domain and
 * gives API responses a stable field order.
 */
type Item = Record<string, any>;

export function caseFromItem(item: Item): Case {
  return {
    id: item.id,
    number: item.number,
    subject: item.subject,
    description: item.description,
    channel: item.channel,
    status: item.status,
    priority: item.priority,
    category: item.category ?? null,
    queue: item.queue,
    language: item.language ?? null,
    customerId: item.customerId,
    customer: {
      id: item.customer.id,
      name: item.customer.name ?? null,
      email: item.customer.email ?? null,
      phone: item.customer.phone ?? null,
      tier: item.customer.tier,
    },
    assigneeId: item.assigneeId ?? null,
    tags: item.tags ?? [],
    customFields: item.customFields ?? {},
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    createdBy: item.createdBy,
    statusChangedAt: item.statusChangedAt,
    resolvedAt: item.resolvedAt ?? null,
    closedAt: item.closedAt ?? null,
    reopenCount: item.reopenCount ?? 0,
    firstResponseAt: item.firstResponseAt ?? null,
    awaitingResponseSince: item.awaitingResponseSince ?? null,
    metrics: {
      firstAssignedAt: item.metrics?.firstAssignedAt ?? null,
      firstAcceptedAt: item.metrics?.firstAcceptedAt ?? null,
      lastResponseAt: item.metrics?.lastResponseAt ?? null,
      teamSeconds: item.metrics?.teamSeconds ?? 0,
      customerSeconds: item.metrics?.customerSeconds ?? 0,
    },
    slaState: item.slaState ?? null,
    replyToken: item.replyToken,
    participants: item.participants ?? [],
    relatedCases: (item.relatedCases ?? []).map((related: Item) => ({
      caseId: related.caseId,
      number: related.number,
      relation: related.relation,
    })),
  };
}

export function customerFromItem(item: Item): Customer {
  return {
    id: item.id,
    name: item.name ?? null,
    identities: (item.identities ?? []).map((identity: Item) => ({ type: identity.type, value: identity.value })),
    preferredLanguage: item.preferredLanguage ?? null,
    tier: item.tier,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}

export function timelineEntryFromItem(item: Item): TimelineEntry {
  return {
    id: item.id,
    caseId: item.caseId,
    at: item.at,
    actor: { kind: item.actor.kind, id: item.actor.id },
    action: item.action,
    changes: (item.changes ?? []).map((change: Item) => ({ field: change.field, before: change.before, after: change.after })),
    ...(item.data ? { data: item.data } : {}),
  };
}

export function agentFromItem(item: Item): Agent {
  return {
    id: item.id,
    username: item.username,
    name: item.name,
    email: item.email,
    connectUsername: item.connectUsername ?? null,
    roles: item.roles ?? [],
    skills: (item.skills ?? []).map((skill: Item) => ({ skill: skill.skill, level: skill.level })),
    queues: item.queues ?? [],
    capacity: item.capacity,
    presence: item.presence,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

export function messageFromItem(item: Item): CaseMessage {
  return {
    id: item.id,
    caseId: item.caseId,
    direction: item.direction,
    channel: item.channel,
    kind: item.kind,
    from: item.from,
    fromName: item.fromName ?? null,
    to: item.to ?? [],
    cc: item.cc ?? [],
    subject: item.subject,
    text: item.text,
    messageId: item.messageId,
    inReplyTo: item.inReplyTo ?? [],
    references: item.references ?? [],
    attachments: (item.attachments ?? []).map((a: Item) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      checksum: a.checksum,
      key: a.key,
      inline: a.inline ?? false,
    })),
    rejectedAttachments: (item.rejectedAttachments ?? []).map((r: Item) => ({ filename: r.filename, size: r.size, reason: r.reason })),
    threading: { method: item.threading.method, confidence: item.threading.confidence },
    automation: item.automation ?? null,
    rawKey: item.rawKey ?? null,
    authorId: item.authorId ?? null,
    delivery: item.delivery
      ? {
          status: item.delivery.status,
          attempts: item.delivery.attempts ?? 0,
          leaseUntil: item.delivery.leaseUntil ?? null,
          providerMessageId: item.delivery.providerMessageId ?? null,
          error: item.delivery.error ?? null,
        }
      : null,
    createdAt: item.createdAt,
  };
}

export function workItemFromItem(item: Item): WorkRecord {
  return {
    id: item.id,
    caseId: item.caseId,
    queue: item.queue,
    channel: item.channel,
    weight: item.weight,
    language: item.language ?? null,
    topic: item.topic ?? null,
    priority: item.priority,
    enqueuedAt: item.enqueuedAt,
    declinedBy: item.declinedBy ?? [],
    status: item.status,
    owner: item.owner ?? null,
    offerId: item.offerId ?? null,
    offeredAt: item.offeredAt ?? null,
    offerExpiresAt: item.offerExpiresAt ?? null,
    acceptedAt: item.acceptedAt ?? null,
    caseVersion: Number(item.caseVersion ?? 0),
    releasedAt: item.releasedAt ?? null,
    releaseReason: item.releaseReason ?? null,
    decision: item.decision ?? null,
  };
}
