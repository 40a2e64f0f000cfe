import { caseAccessDepsFromEnv, slaApiDepsFromEnv } from '../adapters/sla-deps-from-env.js';
import { NotFoundError } from '#platform/domain/errors';
import type { BusinessCalendar } from '../domain/business-calendar.js';
import { SlaConfig } from '../domain/sla-config.js';
import type { SlaPolicy, Versioned } from '../domain/sla-policy.js';
import { getCaseSla } from '../use-cases/get-case-sla.js';
import { listAtRisk } from '../use-cases/list-at-risk.js';
import { putSlaCalendar, putSlaPolicy } from '../use-cases/put-sla-config.js';
import { viewerOf, visibleCaseId } from '#cases';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { SLA_ROUTES, slaRoutes } from './routes.js';

const deps = slaApiDepsFromEnv();
const access = caseAccessDepsFromEnv();

const present = <T extends { name: string }>(document: Versioned<T>) => ({
  name: document.value.name,
  version: document.version,
  builtIn: document.version === 0,
  updatedAt: document.updatedAt,
  updatedBy: document.updatedBy,
  value: document.value,
});

/** A policy as its view reads it: the match rules as a record of the lists given (absent ones left out). */
const presentPolicy = (document: Versioned<SlaPolicy>) => {
  const rules = Object.entries({ ...document.value.match }).filter((rule): rule is [string, string[]] => rule[1] !== undefined);
  return present({ ...document, value: { ...document.value, match: Object.fromEntries(rules) } });
};

async function config(): Promise<SlaConfig> {
  return new SlaConfig(await deps.sla.readConfig());
}

export const handler = createApiHandler('sla', SLA_ROUTES, [
  implement(slaRoutes.caseSla, async ({ params, actor }) => {
    const caseId = await visibleCaseId(deps, await viewerOf(access, actor), params.id);
    return { body: await getCaseSla(deps, { caseId }) };
  }),
  implement(slaRoutes.atRisk, async ({ query }) => {
    const { queue } = query;
    return { body: { items: await listAtRisk(deps, { queue }) } };
  }),
  implement(slaRoutes.listPolicies, async () => {
    const policies = [...(await config()).policies].sort((a, b) => a.value.rank - b.value.rank || a.value.name.localeCompare(b.value.name));
    return { body: { items: policies.map(presentPolicy) } };
  }),
  implement(slaRoutes.getPolicy, async ({ params }) => {
    const policy = (await config()).policy(params.name);
    if (!policy) throw new NotFoundError('SLA policy', params.name);
    return { body: presentPolicy(policy) };
  }),
  implement(slaRoutes.putPolicy, async ({ params, body, actor }) => {
    const { version, ...fields } = body;
    const policy: SlaPolicy = { ...fields, name: params.name };
    return { body: presentPolicy(await putSlaPolicy(deps, { policy, expectedVersion: version }, actor)) };
  }),
  implement(slaRoutes.listCalendars, async () => ({ body: { items: (await config()).calendars.map(present) } })),
  implement(slaRoutes.getCalendar, async ({ params }) => {
    const calendar = (await config()).calendar(params.name);
    if (!calendar) throw new NotFoundError('SLA calendar', params.name);
    return { body: present(calendar) };
  }),
  implement(slaRoutes.putCalendar, async ({ params, body, actor }) => {
    const { version, ...fields } = body;
    const calendar: BusinessCalendar = { ...fields, name: params.name };
    return { body: present(await putSlaCalendar(deps, { calendar, expectedVersion: version }, actor)) };
  }),
]);
