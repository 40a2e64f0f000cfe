import type { CaseSla } from '../../domain/sla-clock.js';
import { CASES_TABLE_ENTITIES, fill, indexKey, primaryKey } from '#tables/entities';

type Item = Record<string, unknown>;

const SLA = CASES_TABLE_ENTITIES.sla;
const AT_RISK = SLA.indexes.GSI2[0];

/** A case's SLA record, in the case's partition (after its messages, before its timeline). */
export const slaKey = (caseId: string) => primaryKey(SLA.key, { caseId });

/**
 * GSI2 while an SLA record is at risk (warning or breached): its queue's list, earliest due
 * first (ISO timestamps sort in time order). Overloads GSI2 beside the `STATUS#` partitions.
 */
export const atRiskIndex = (r: { queue: string; dueAt: string; caseId: string }) => indexKey('GSI2', AT_RISK, r);
export const atRiskPartition = (queue: string) => fill(AT_RISK.pk, { queue });

/** The record as stored: the domain record, its keys, and the at-risk index keys while at risk. */
export function slaItem(sla: CaseSla): Item {
  return {
    ...sla,
    ...slaKey(sla.caseId),
    ...(sla.atRisk ? atRiskIndex({ queue: sla.case.queue, dueAt: sla.atRisk.dueAt, caseId: sla.caseId }) : {}),
    entity: SLA.tag,
  };
}

/** Item → record, field by field, so key attributes stay out of the domain. */
export function slaFromItem(item: Item): CaseSla {
  return {
    caseId: item.caseId as string,
    caseVersion: item.caseVersion as number,
    version: item.version as number,
    case: item.case as CaseSla['case'],
    clocks: (item.clocks as CaseSla['clocks'] | undefined) ?? [],
    history: (item.history as CaseSla['history'] | undefined) ?? [],
    atRisk: (item.atRisk as CaseSla['atRisk'] | undefined) ?? null,
    updatedAt: item.updatedAt as string,
  };
}

export const slaEntity = { tag: SLA.tag, key: slaKey, toItem: slaItem, fromItem: slaFromItem } as const;
