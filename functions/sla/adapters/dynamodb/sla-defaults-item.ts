import { CASES_TABLE_ENTITIES, primaryKey } from '#tables/entities';
import type { SlaDefaults } from '../../domain/sla-config.js';

const DEFAULTS = CASES_TABLE_ENTITIES['sla-defaults'];

/**
 * The item of the deployment's default policies and calendars, which the SLA stack writes at each
 * deployment: JSON text in a string attribute, so the deployment writes it with a plain PutItem.
 */
export function slaDefaultsItem(defaults: SlaDefaults): Record<string, string> {
  return { ...primaryKey(DEFAULTS.key, {}), entity: DEFAULTS.tag, document: JSON.stringify(defaults) };
}

/** No defaults item (a table no deployment has written): no policies, only the built-in 24/7 calendar. */
const NO_DEFAULTS: SlaDefaults = { policies: [], calendars: [] };

/** The defaults among the items of the SLA configuration partition. */
export function slaDefaultsFromItems(items: readonly Record<string, unknown>[]): SlaDefaults {
  const item = items.find((candidate) => candidate.entity === DEFAULTS.tag);
  return item ? slaDefaultsFromItem(item) : NO_DEFAULTS;
}

function slaDefaultsFromItem(item: Record<string, unknown>): SlaDefaults {
  return JSON.parse(String(item.document)) as SlaDefaults;
}

/** The SLA defaults entity: one item, in the SLA configuration's partition. */
export const slaDefaultsEntity = {
  tag: DEFAULTS.tag,
  key: () => primaryKey(DEFAULTS.key, {}),
  toItem: slaDefaultsItem,
  fromItem: slaDefaultsFromItem,
} as const;
