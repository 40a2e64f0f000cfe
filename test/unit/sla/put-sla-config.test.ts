import { describe, expect, it, vi } from 'vitest';
import type { Actor } from '#platform/domain/actor';
import { ForbiddenError, ValidationError, VersionConflictError } from '#platform/domain/errors';
import type { BusinessCalendar } from '#sla/domain/business-calendar';
import { SlaConfig } from '#sla/domain/sla-config';
import { type SlaPolicy } from '#sla/domain/sla-policy';
import { putSlaCalendar, putSlaPolicy } from '#sla/use-cases/put-sla-config';
import { agentActor, supervisorActor } from '../../support/builders.js';
import { slaDeps } from '../../support/sla-fakes.js';
import { DEMO_CALENDARS, DEMO_SLA_POLICIES } from '../../support/demo-settings.js';

const admin: Actor = { kind: 'user', id: 'admin-1', roles: ['admins'] };

function builtInPolicy(name: string): SlaPolicy {
  return structuredClone(DEMO_SLA_POLICIES.find((policy) => policy.name === name)!);
}

function builtInCalendar(name: string): BusinessCalendar {
  return structuredClone(DEMO_CALENDARS.find((calendar) => calendar.name === name)!);
}

/** A policy of its own (not a built-in): marketplace cases on the Berlin calendar. */
function marketplacePolicy(overrides: Partial<SlaPolicy> = {}): SlaPolicy {
  return {
    name: 'marketplace-partners',
    description: 'Marketplace partners',
    rank: 50,
    enabled: true,
    match: { queues: ['marketplace'] },
    targets: { firstResponseMinutes: 240, nextResponseMinutes: null, resolutionMinutes: null },
    warningPercent: 75,
    pauseOnHold: true,
    calendar: 'berlin-office',
    secondLevelAfterMinutes: null,
    ...overrides,
  };
}

describe('putSlaPolicy', () => {
  it('refuses anyone but an admin, storing nothing', async () => {
    const { deps, sla } = slaDeps();

    for (const actor of [agentActor, supervisorActor]) {
      await expect(putSlaPolicy(deps, { policy: builtInPolicy('urgent') }, actor)).rejects.toThrow(ForbiddenError);
    }
    expect(sla.policies.size).toBe(0);
  });

  it('the first edit of a built-in policy is version 1, the next version 2; the edit is in force', async () => {
    // Arrange
    const { deps, sla, clock } = slaDeps();
    const faster = { ...builtInPolicy('urgent'), targets: { firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 240 } };

    // Act
    const first = await putSlaPolicy(deps, { policy: faster, expectedVersion: 0 }, admin);
    clock.advance(60_000);
    const second = await putSlaPolicy(deps, { policy: { ...faster, warningPercent: 50 }, expectedVersion: 1 }, admin);

    // Assess
    expect(first).toEqual({ value: faster, version: 1, updatedAt: '2026-11-23T08:00:00.000Z', updatedBy: 'admin-1' });
    expect(second).toMatchObject({ version: 2, updatedAt: '2026-11-23T08:01:00.000Z' });
    const inForce = new SlaConfig(await sla.readConfig()).policy('urgent');
    expect(inForce).toMatchObject({ version: 2, value: { warningPercent: 50, targets: { firstResponseMinutes: 15 } } });
    expect([...sla.configVersions.keys()]).toEqual(['POLICY#urgent#1', 'POLICY#urgent#2']);
  });

  it('stores a new policy as version 1 without an expected version', async () => {
    const { deps } = slaDeps();

    const stored = await putSlaPolicy(deps, { policy: marketplacePolicy() }, admin);

    expect(stored.version).toBe(1);
  });

  it('refuses an invalid policy with the path of each problem', async () => {
    const { deps, sla } = slaDeps();
    const invalid = marketplacePolicy({
      targets: { firstResponseMinutes: null, nextResponseMinutes: null, resolutionMinutes: null },
      calendar: 'paris-office',
      match: { queues: ['marketplace', 'wholesale'] },
    });

    const error = await putSlaPolicy(deps, { policy: invalid }, admin).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.map((field) => field.path)).toEqual(['targets', 'calendar', 'match.queues[1]']);
    expect(sla.policies.size).toBe(0);
  });

  it('accepts a calendar an admin stored before', async () => {
    const { deps } = slaDeps();
    await putSlaCalendar(
      deps,
      { calendar: { ...builtInCalendar('berlin-office'), name: 'paris-office', timeZone: 'Europe/Paris' } },
      admin,
    );

    const stored = await putSlaPolicy(deps, { policy: marketplacePolicy({ calendar: 'paris-office' }) }, admin);

    expect(stored.value.calendar).toBe('paris-office');
  });

  it('refuses an edit based on a version that is no longer current', async () => {
    const { deps, sla } = slaDeps();
    await putSlaPolicy(deps, { policy: builtInPolicy('vip') }, admin);

    const stale = putSlaPolicy(deps, { policy: { ...builtInPolicy('vip'), warningPercent: 90 }, expectedVersion: 0 }, admin);

    await expect(stale).rejects.toThrow(VersionConflictError);
    expect(sla.policies.get('vip')?.version).toBe(1);
  });

  it('refuses an edit that loses the race in the store to a concurrent one', async () => {
    // Arrange: both admins read the built-in; the rival's edit is stored first.
    const { deps, sla } = slaDeps();
    const before = await sla.readConfig();
    await putSlaPolicy(deps, { policy: { ...builtInPolicy('high'), warningPercent: 70 } }, admin);
    vi.spyOn(sla, 'readConfig').mockResolvedValueOnce(before);

    // Act
    const late = putSlaPolicy(deps, { policy: { ...builtInPolicy('high'), warningPercent: 90 } }, admin);

    // Assess
    await expect(late).rejects.toThrow(VersionConflictError);
    expect(sla.policies.get('high')).toMatchObject({ version: 1, value: { warningPercent: 70 } });
  });
});

describe('putSlaCalendar', () => {
  it('refuses anyone but an admin', async () => {
    const { deps } = slaDeps();

    await expect(putSlaCalendar(deps, { calendar: builtInCalendar('warsaw-office') }, supervisorActor)).rejects.toThrow(ForbiddenError);
  });

  it('the first edit of a built-in calendar is version 1', async () => {
    const { deps, sla } = slaDeps();
    const withHoliday = {
      ...builtInCalendar('warsaw-office'),
      holidays: [...builtInCalendar('warsaw-office').holidays, { date: '2026-12-31', name: 'Sylwester (company day off)' }],
    };

    const stored = await putSlaCalendar(deps, { calendar: withHoliday, expectedVersion: 0 }, admin);

    expect(stored).toMatchObject({ version: 1, updatedBy: 'admin-1' });
    expect(new SlaConfig(await sla.readConfig()).lookup('warsaw-office')).toEqual({ calendar: withHoliday, version: 1 });
  });

  it('refuses an invalid calendar with the path of each problem', async () => {
    const { deps } = slaDeps();
    const calendar = builtInCalendar('berlin-office');
    const invalid: BusinessCalendar = {
      ...calendar,
      timeZone: 'Europe/Atlantis',
      weekly: { ...calendar.weekly, mon: [{ start: '18:00', end: '08:00' }] },
      holidays: [{ date: '2026-02-30', name: 'no such day' }],
    };

    const error = await putSlaCalendar(deps, { calendar: invalid }, admin).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.map((field) => field.path)).toEqual(['timeZone', 'weekly.mon[0].end', 'holidays[0].date']);
  });

  it('refuses an edit based on a version that is no longer current', async () => {
    const { deps } = slaDeps();
    await putSlaCalendar(deps, { calendar: builtInCalendar('berlin-office') }, admin);

    await expect(putSlaCalendar(deps, { calendar: builtInCalendar('berlin-office'), expectedVersion: 0 }, admin)).rejects.toThrow(
      VersionConflictError,
    );
  });
});
