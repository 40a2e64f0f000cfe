import { keys } from '#tables/keys';
import type { SlaDefaults } from '../../domain/sla-config.js';

const SLA_DEFAULTS_ENTITY = 'sla-defaults';

/**
 * The item of the deployment's default policies and calendars, which the SLA stack writes at each
 * deployment: JSON text in a string attribute, so the deployment writes it with a plain PutItem.
 */
export function slaDefaultsItem(defaults: SlaDefaults): Record<string, string> {
  return { ...keys.slaDefaults, entity: SLA_DEFAULTS_ENTITY, document: JSON.stringify(defaults) };
}

/** No defaults item (a table no deployment has written): no policies, only the built-in 24/7 calendar. */
const NO_DEFAULTS: SlaDefaults = { policies: [], calendars: [] };

/** The defaults among the items of the SLA configuration partition. */
export function slaDefaultsFromItems(items: readonly Record<string, unknown>[]): SlaDefaults {
  const item = items.find((candidate) => candidate.entity === SLA_DEFAULTS_ENTITY);
  return item ? (JSON.parse(item.document as string) as SlaDefaults) : NO_DEFAULTS;
}
