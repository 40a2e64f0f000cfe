import type { Agent } from '../../domain/agents/agent.js';
import type { Case } from '../../domain/cases/case.js';
import type { TimelineEntry } from '../../domain/cases/timeline.js';
import type { Customer } from '../../domain/customers/customer.js';

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
