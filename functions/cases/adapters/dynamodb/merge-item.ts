import type { MergeJob } from '../../domain/merge.js';
import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const MERGE = CASES_TABLE_ENTITIES.merge;

/** A merge job, in a partition of its own (named by the source case). */
export const mergeKey = (id: string) => primaryKey(MERGE.key, { id });

export function mergeItem(job: MergeJob): Item {
  return { ...job, ...mergeKey(job.id), entity: MERGE.tag };
}

export function mergeFromItem(item: Item): MergeJob {
  return {
    id: item.id,
    sourceId: item.sourceId,
    sourceNumber: item.sourceNumber,
    targetId: item.targetId,
    targetNumber: item.targetNumber,
    status: item.status,
    moved: item.moved ?? 0,
    heldBack: item.heldBack ?? 0,
    resumeAfter: item.resumeAfter ?? null,
    passes: item.passes ?? 0,
    requestedBy: item.requestedBy,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    finishedAt: item.finishedAt ?? null,
    version: item.version,
  };
}

export const mergeEntity = { tag: MERGE.tag, key: mergeKey, toItem: mergeItem, fromItem: mergeFromItem } as const;
