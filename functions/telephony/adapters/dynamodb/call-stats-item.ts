import { CALL_STATS, type CallStat, type HourStats } from '../../domain/callback-ports.js';
import { CASES_TABLE_ENTITIES, fill, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const CALL_STATS_HOUR = CASES_TABLE_ENTITIES['call-stats'];

/**
 * The missed-call report's counters of one UTC hour (`YYYY-MM-DDTHH`): missed, dialled, reached,
 * failed, added in the transaction of what they count (an update expression, never a whole put).
 * One partition, so a report of up to 31 days (744 hours) is one query.
 */
export const callStatsKey = (hour: string) => primaryKey(CALL_STATS_HOUR.key, { hour });
export const callStatsPartition = fill(CALL_STATS_HOUR.key.pk, {});
export const callStatsSortKey = (hour: string) => fill(CALL_STATS_HOUR.key.sk, { hour });

export function callStatsFromItem(item: Item): HourStats {
  return {
    hour: String(item.hour),
    counts: Object.fromEntries(CALL_STATS.map((stat) => [stat, Number(item[stat] ?? 0)])) as Record<CallStat, number>,
  };
}

export const callStatsEntity = { tag: CALL_STATS_HOUR.tag, key: callStatsKey, fromItem: callStatsFromItem } as const;
