import type * as z from 'zod';
import { slaApiDepsFromEnv } from '../adapters/sla-deps-from-env.js';
import { NotFoundError } from '#platform/domain/errors';
import type { BusinessCalendar } from '../domain/business-calendar.js';
import { SlaConfig } from '../domain/sla-config.js';
import type { SlaPolicy, Versioned } from '../domain/sla-policy.js';
import { getCaseSla } from '../use-cases/get-case-sla.js';
import { listAtRisk } from '../use-cases/list-at-risk.js';
import { putSlaCalendar, putSlaPolicy } from '../use-cases/put-sla-config.js';
import { resolveCaseId } from '#cases';
import type { schemas } from '#api/contract';
import { createApiHandler } from '#platform/api/api-handler';

const deps = slaApiDepsFromEnv();

const present = <T extends { name: string }>(document: Versioned<T>) => ({
  name: document.value.name,
  version: document.version,
  builtIn: document.version === 0,
  updatedAt: document.updatedAt,
  updatedBy: document.updatedBy,
  value: document.value,
});

async function config(): Promise<SlaConfig> {
  return new SlaConfig(await deps.sla.readConfig());
}

export const handler = createApiHandler('sla', {
  'GET /cases/{id}/sla': async ({ params }) => {
    const caseId = await resolveCaseId(deps.cases, params.id ?? '');
    return { body: await getCaseSla(deps, { caseId }) };
  },
  'GET /sla/at-risk': async ({ query }) => {
    const { queue } = query as z.infer<typeof schemas.atRiskQuery>;
    return { body: { items: await listAtRisk(deps, { queue }) } };
  },
  'GET /sla/policies': async () => {
    const policies = [...(await config()).policies].sort((a, b) => a.value.rank - b.value.rank || a.value.name.localeCompare(b.value.name));
    return { body: { items: policies.map(present) } };
  },
  'GET /sla/policies/{name}': async ({ params }) => {
    const policy = (await config()).policy(params.name ?? '');
    if (!policy) throw new NotFoundError('SLA policy', params.name ?? '');
    return { body: present(policy) };
  },
  'PUT /sla/policies/{name}': async ({ params, body, actor }) => {
    const { version, ...fields } = body as z.infer<typeof schemas.slaPolicyBody>;
    const policy: SlaPolicy = { ...fields, name: params.name ?? '' };
    return { body: present(await putSlaPolicy(deps, { policy, expectedVersion: version }, actor)) };
  },
  'GET /sla/calendars': async () => ({ body: { items: (await config()).calendars.map(present) } }),
  'GET /sla/calendars/{name}': async ({ params }) => {
    const calendar = (await config()).calendar(params.name ?? '');
    if (!calendar) throw new NotFoundError('SLA calendar', params.name ?? '');
    return { body: present(calendar) };
  },
  'PUT /sla/calendars/{name}': async ({ params, body, actor }) => {
    const { version, ...fields } = body as z.infer<typeof schemas.slaCalendarBody>;
    const calendar: BusinessCalendar = { ...fields, name: params.name ?? '' };
    return { body: present(await putSlaCalendar(deps, { calendar, expectedVersion: version }, actor)) };
  },
});
