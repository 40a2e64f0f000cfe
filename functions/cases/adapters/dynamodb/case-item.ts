import type { Case } from '../../domain/case.js';
import { CASES_TABLE_ENTITIES, fill, indexKey, literalPrefix, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const CASE = CASES_TABLE_ENTITIES.case;
const INDEX = CASE.indexes;

/** Key of a case's item: the case's partition holds its messages, notes, timeline and SLA record too. */
export const caseKey = (id: string) => primaryKey(CASE.key, { id });

/** Index keys of a case: by customer, status, queue, assignee (sparse) and all cases. */
export function caseIndexKeys(c: { id: string; customerId: string; status: string; queue: string; assigneeId: string | null }) {
  return {
    ...indexKey('GSI1', INDEX.GSI1[0], c),
    ...indexKey('GSI2', INDEX.GSI2[0], c),
    ...indexKey('GSI3', INDEX.GSI3[0], c),
    ...(c.assigneeId ? indexKey('GSI4', INDEX.GSI4[0], { id: c.id, assigneeId: c.assigneeId }) : {}),
    ...indexKey('GSI5', INDEX.GSI5[0], c),
  };
}

/** The index partitions that list cases, and the sort-key prefix of cases in them. */
export const caseIndexPartition = {
  customer: (customerId: string) => fill(INDEX.GSI1[0].pk, { customerId }),
  status: (status: string) => fill(INDEX.GSI2[0].pk, { status }),
  queue: (queue: string) => fill(INDEX.GSI3[0].pk, { queue }),
  assignee: (assigneeId: string) => fill(INDEX.GSI4[0].pk, { assigneeId }),
  all: () => fill(INDEX.GSI5[0].pk, {}),
};
export const caseSortPrefix = literalPrefix(INDEX.GSI5[0].sk);

/** Item of a case: the case's fields, its primary key and its index keys. */
export function caseItem(c: Case): Item {
  return { ...c, ...caseKey(c.id), ...caseIndexKeys(c), entity: CASE.tag };
}

/**
 * Item → case, field by field. DynamoDB returns attributes in no particular order and an item
 * carries key and bookkeeping attributes; naming the fields keeps both out of the domain and gives
 * API responses a stable field order.
 */
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
    ...callState(item),
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

/**
 * The custom fields and the call-in-progress flag of a case item. Items written before the flag was
 * the case's own attribute carry it as the custom field `connectCallInProgress`: it counts, and
 * leaves the custom fields (the next write of the case stores it as its own attribute).
 */
function callState(item: Item): Pick<Case, 'customFields' | 'connectCallInProgress'> {
  const { connectCallInProgress: legacy, ...customFields } = (item.customFields ?? {}) as Case['customFields'];
  return { customFields, connectCallInProgress: item.connectCallInProgress === true || legacy === true };
}

/** The case entity: its tag, key, item and the way back. */
export const caseEntity = { tag: CASE.tag, key: caseKey, toItem: caseItem, fromItem: caseFromItem } as const;
