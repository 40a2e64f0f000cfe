import { type Actor, actorHasRole } from '#platform/domain/actor';
import { isoNow } from '#platform/domain/clock';
import { ForbiddenError, ValidationError, VersionConflictError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { type BusinessCalendar, calendarIssues } from '../domain/business-calendar.js';
import { SlaConfig } from '../domain/sla-config.js';
import { policyIssues, type SlaPolicy, type Versioned } from '../domain/sla-policy.js';
import type { SlaDeps } from './deps.js';

function requireAdmin(actor: Actor): void {
  if (!actorHasRole(actor, ['admins']))
    throw new ForbiddenError('only admins change SLA policies and calendars', { requiredGroups: ['admins'] });
}

/**
 * Stores a new version of an SLA document: refuses it when invalid, or when the caller based it on
 * a version that is no longer current (`expectedVersion`); the store refuses a concurrent edit the
 * same way. A policy reaches running clocks at their case's next change; a calendar also at their
 * timer's next evaluation (which measures the running segment under the calendar in force).
 */
async function putDocument<T extends { name: string }>(
  deps: SlaDeps,
  kind: 'policy' | 'calendar',
  value: T,
  expectedVersion: number | undefined,
  actor: Actor,
  issues: (config: SlaConfig) => { path: string; message: string }[],
  store: (document: Versioned<T>) => Promise<void>,
  current: (config: SlaConfig) => Versioned<T> | null,
): Promise<Versioned<T>> {
  requireAdmin(actor);
  const config = new SlaConfig(await deps.sla.readConfig());
  const found = issues(config);
  if (found.length > 0) throw new ValidationError(`the SLA ${kind} is not valid`, found);
  const stored = current(config);
  const currentVersion = stored?.version ?? 0;
  if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
    throw new VersionConflictError(`SLA ${kind}`, value.name, expectedVersion, currentVersion);
  }
  const document: Versioned<T> = { value, version: currentVersion + 1, updatedAt: isoNow(deps.clock), updatedBy: actor.id };
  try {
    await store(document);
  } catch (error) {
    if (error instanceof CommitConflict) throw new VersionConflictError(`SLA ${kind}`, value.name, currentVersion);
    throw error;
  }
  return document;
}

/** An admin creates or edits an SLA policy (a new version). @throws ForbiddenError, ValidationError, VersionConflictError */
export function putSlaPolicy(
  deps: SlaDeps,
  input: { policy: SlaPolicy; expectedVersion?: number | undefined },
  actor: Actor,
): Promise<Versioned<SlaPolicy>> {
  return putDocument(
    deps,
    'policy',
    input.policy,
    input.expectedVersion,
    actor,
    (config) =>
      policyIssues(input.policy, {
        calendars: config.calendars.map((calendar) => calendar.value.name),
        queues: deps.settings.queues.map((queue) => queue.name),
      }),
    (document) => deps.sla.putPolicy(document),
    (config) => config.policy(input.policy.name),
  );
}

/** An admin creates or edits a business-hours calendar (a new version). @throws ForbiddenError, ValidationError, VersionConflictError */
export function putSlaCalendar(
  deps: SlaDeps,
  input: { calendar: BusinessCalendar; expectedVersion?: number | undefined },
  actor: Actor,
): Promise<Versioned<BusinessCalendar>> {
  return putDocument(
    deps,
    'calendar',
    input.calendar,
    input.expectedVersion,
    actor,
    () => calendarIssues(input.calendar),
    (document) => deps.sla.putCalendar(document),
    (config) => config.calendar(input.calendar.name),
  );
}
