import { describe, expect, it } from 'vitest';
import { agentView } from '#agents/api/routes';
import { call, requestToken } from '../support/api-client.js';

const profile = (overrides: Record<string, unknown> = {}) => ({
  name: 'Zuzana Nováková',
  email: 'Zuzana.Novakova@switchboard.local',
  roles: ['agents'],
  skills: [
    { skill: 'sk', level: 10 },
    { skill: 'pl', level: 6 },
    { skill: 'returns', level: 7 },
  ],
  queues: ['customers', 'marketplace'],
  capacity: 80,
  ...overrides,
});

describe('agents: presence and profiles', () => {
  it('lets an agent set their own presence, and shows it with their live load', async () => {
    // Busy, not available: an available agent would be offered the cases other suites open meanwhile.
    const set = await call('PUT', '/agents/katarzyna.wisniewska/presence', { as: 'katarzyna.wisniewska', body: { status: 'busy' } });
    const listed = await call('GET', '/agents');

    expect(set.status).toBe(200);
    expect(agentView.parse(set.body)).toMatchObject({ id: 'katarzyna.wisniewska', presence: 'busy', load: 0 });
    expect(listed.body.items.find((agent: { id: string }) => agent.id === 'katarzyna.wisniewska')).toMatchObject({
      presence: 'busy',
      load: 0,
    });
  });

  it('lets supervisors set anyone’s presence, and refuses an agent setting a colleague’s (403)', async () => {
    const byColleague = await call('PUT', '/agents/tomasz.wojcik/presence', { as: 'katarzyna.wisniewska', body: { status: 'away' } });
    const bySupervisor = await call('PUT', '/agents/tomasz.wojcik/presence', { as: 'supervisor-2', body: { status: 'busy' } });

    expect([byColleague.status, byColleague.body.error.code]).toEqual([403, 'forbidden']);
    expect(bySupervisor.body).toMatchObject({ presence: 'busy' });
  });

  it('refuses an unknown presence (400) and an unknown agent (404)', async () => {
    const bad = await call('PUT', '/agents/tomasz.wojcik/presence', { as: 'supervisor-1', body: { status: 'sleeping' } });
    const unknown = await call('PUT', '/agents/nobody.here/presence', { as: 'supervisor-1', body: { status: 'available' } });

    expect(bad.status).toBe(400);
    expect(unknown.status).toBe(404);
  });

  it('lets admins create and edit a profile, keeping presence, and refuses agents (403) and bad profiles (400)', async () => {
    const id = `zuzana.${Date.now().toString(36)}`;

    const created = await call('PUT', `/agents/${id}`, { as: 'admin', body: profile() });
    const token = await requestToken(id);
    await call('PUT', `/agents/${id}/presence`, { as: 'admin', body: { status: 'available' } });
    const edited = await call('PUT', `/agents/${id}`, { as: 'admin', body: profile({ capacity: 100, queues: ['customers'] }) });
    const byAgent = await call('PUT', `/agents/${id}`, { as: 'katarzyna.wisniewska', body: profile() });
    const unknownQueue = await call('PUT', `/agents/${id}`, { as: 'admin', body: profile({ queues: ['nowhere'] }) });
    const twice = await call('PUT', `/agents/${id}`, {
      as: 'admin',
      body: profile({
        skills: [
          { skill: 'sk', level: 9 },
          { skill: 'sk', level: 3 },
        ],
      }),
    });
    const badLevel = await call('PUT', `/agents/${id}`, { as: 'admin', body: profile({ skills: [{ skill: 'sk', level: 11 }] }) });

    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id, username: id, email: 'zuzana.novakova@switchboard.local', presence: 'offline', capacity: 80 });
    expect(token.status).toBe(200);
    expect(edited.body).toMatchObject({ presence: 'available', capacity: 100, queues: ['customers'], createdAt: created.body.createdAt });
    expect(byAgent.status).toBe(403);
    expect(unknownQueue.status).toBe(400);
    expect(twice.status).toBe(400);
    expect(badLevel.status).toBe(400);
  });
});
