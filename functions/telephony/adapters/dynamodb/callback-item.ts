import { type Callback, isUnfinished } from '../../domain/callback.js';
import { CASES_TABLE_ENTITIES, fill, indexKey, literalPrefix, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const CALLBACK = CASES_TABLE_ENTITIES.callback;
const INDEX = CALLBACK.indexes;

/** A missed-call callback: the number, its case, its attempts and their outcomes. */
export const callbackKey = (id: string) => primaryKey(CALLBACK.key, { id });

/**
 * Index keys of a callback. GSI2 while unfinished (open or dialling): the dispatcher's list,
 * `<priority rank>#<nextAttemptAt>#<id>`, so "due now, VIP first" is one key-range query per rank
 * (`BETWEEN '<rank>#' AND '<rank>#<now>~'`), soonest due first. GSI3 by status and GSI5 all
 * callbacks, newest first by id (ULID). GSI4 while unfinished: the callbacks of a case, which
 * resolving or closing it cancels. They overload the cases' GSI2/3/4/5 beside `STATUS#`,
 * `SLA_AT_RISK#`, `QUEUE#`, `ASSIGNEE#` and `CASES`.
 */
export function callbackIndexKeys(c: {
  id: string;
  caseId: string;
  status: string;
  priorityRank: number;
  nextAttemptAt: string | null;
  unfinished: boolean;
}) {
  return {
    ...(c.unfinished && c.nextAttemptAt ? indexKey('GSI2', INDEX.GSI2[0], { ...c, nextAttemptAt: c.nextAttemptAt }) : {}),
    ...(c.unfinished ? indexKey('GSI4', INDEX.GSI4[0], c) : {}),
    ...indexKey('GSI3', INDEX.GSI3[0], c),
    ...indexKey('GSI5', INDEX.GSI5[0], c),
  };
}

export const callbackDuePartition = fill(INDEX.GSI2[0].pk, {});
export const caseCallbacksPartition = (caseId: string) => fill(INDEX.GSI4[0].pk, { caseId });
/** The due index's sort-key range of one priority rank up to an instant (ISO): `<rank>#` … `<rank>#<now>~` ('~' sorts after '#'). */
export const callbackDueRange = (rank: number, now: string) => ({ from: `${rank}#`, to: `${rank}#${now}~` });
export const callbackIndexPartition = {
  status: (status: string) => fill(INDEX.GSI3[0].pk, { status }),
  all: () => fill(INDEX.GSI5[0].pk, {}),
};
export const callbackSortPrefix = literalPrefix(INDEX.GSI5[0].sk);

/** The callback as stored: the record, its keys and its index keys (the due index only while unfinished). */
export function callbackItem(callback: Callback): Item {
  return {
    ...callback,
    ...callbackKey(callback.id),
    ...callbackIndexKeys({ ...callback, unfinished: isUnfinished(callback) }),
    entity: CALLBACK.tag,
  };
}

/** Item → callback, field by field, so key attributes stay out of the domain. */
export function callbackFromItem(item: Item): Callback {
  return {
    id: item.id,
    phone: item.phone,
    status: item.status,
    customerId: item.customerId,
    caseId: item.caseId,
    caseNumber: item.caseNumber,
    queue: item.queue,
    language: item.language ?? null,
    tier: item.tier,
    priorityRank: Number(item.priorityRank),
    missedCount: Number(item.missedCount),
    firstMissedAt: item.firstMissedAt,
    lastMissedAt: item.lastMissedAt,
    missedContactIds: item.missedContactIds ?? [],
    nextAttemptAt: item.nextAttemptAt ?? null,
    attempts: (item.attempts ?? []).map((attempt: Item) => ({
      number: Number(attempt.number),
      claimedAt: attempt.claimedAt,
      dialledAt: attempt.dialledAt ?? null,
      contactId: attempt.contactId ?? null,
      agentId: attempt.agentId ?? null,
      outcome: attempt.outcome,
      endedAt: attempt.endedAt ?? null,
      detail: attempt.detail ?? null,
    })),
    endReason: item.endReason ?? null,
    finishedAt: item.finishedAt ?? null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: Number(item.version),
  };
}

export const callbackEntity = { tag: CALLBACK.tag, key: callbackKey, toItem: callbackItem, fromItem: callbackFromItem } as const;
