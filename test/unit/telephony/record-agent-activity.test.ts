import { describe, expect, it } from 'vitest';
import type { ConnectAgentEvent, ConnectContact } from '#telephony/domain/agent-activity';
import { recordAgentActivity } from '#telephony/use-cases/record-agent-activity';
import { anAgent, routingDeps } from '../../support/routing-builders.js';

const ARN = 'arn:aws:connect:eu-central-1:012345678901:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111/agent/ala-arn';

function event(overrides: Partial<ConnectAgentEvent> & { at: string }): ConnectAgentEvent {
  return {
    eventId: `event-${overrides.at}`,
    eventType: 'STATE_CHANGE',
    agentArn: ARN,
    username: 'ala.connect',
    agentStatus: { name: 'Available', type: 'ROUTABLE' },
    contacts: [],
    ...overrides,
  };
}

const voice = (state: ConnectContact['state'], contactId = 'call-1'): ConnectContact => ({ contactId, channel: 'VOICE', state });

/** Ala (Connect user `ala.connect`) already holds a routed email: 20 of her 100. */
function withAla() {
  const deps = routingDeps();
  deps.routing.addStaff(anAgent('ala', {}, { connectUsername: 'ala.connect' }), { load: 20 });
  deps.routing.addStaff(anAgent('bea', {}, { connectUsername: null }));
  return deps;
}

describe('recordAgentActivity', () => {
  it('adds a connected call’s 100 units to the agent’s load, and takes them off when the call ends', async () => {
    // Arrange
    const deps = withAla();

    // Act
    const connected = await recordAgentActivity(deps, { event: event({ at: '2026-11-23T09:00:01.000Z', contacts: [voice('CONNECTED')] }) });
    const loadDuringCall = deps.routing.liveOf('ala')?.load;
    const ended = await recordAgentActivity(deps, { event: event({ at: '2026-11-23T09:05:00.000Z', contacts: [voice('ENDED')] }) });

    // Assess
    expect([connected, ended]).toEqual(['applied', 'applied']);
    expect(loadDuringCall).toBe(120);
    expect(deps.routing.liveOf('ala')).toMatchObject({ load: 20, connectAgentArn: ARN });
    expect(deps.routing.states.get('ala')?.contacts).toEqual({});
  });

  it('weighs every contact that holds the agent by its channel, and none that does not', async () => {
    const deps = withAla();
    const contacts: ConnectContact[] = [
      { contactId: 'chat-1', channel: 'CHAT', state: 'CONNECTING' },
      voice('CONNECTED_ONHOLD', 'call-1'),
      voice('MISSED', 'call-2'),
      { contactId: 'task-1', channel: 'TASK', state: 'PAUSED' },
    ];

    expect(await recordAgentActivity(deps, { event: event({ at: '2026-11-23T09:00:01.000Z', contacts }) })).toBe('applied');

    expect(deps.routing.states.get('ala')?.contacts).toEqual({ 'chat-1': 40, 'call-1': 100 });
    expect(deps.routing.liveOf('ala')?.load).toBe(160);
  });

  it('ignores an event older than the one already applied, and a redelivered one', async () => {
    // Arrange: the call ended at 09:05; a record of 09:01 (still connected) arrives late.
    const deps = withAla();
    await recordAgentActivity(deps, { event: event({ at: '2026-11-23T09:00:01.000Z', contacts: [voice('CONNECTED')] }) });
    const ended = event({ at: '2026-11-23T09:05:00.000Z', contacts: [voice('ENDED')] });
    await recordAgentActivity(deps, { event: ended });

    // Act
    const late = await recordAgentActivity(deps, { event: event({ at: '2026-11-23T09:01:00.000Z', contacts: [voice('CONNECTED')] }) });
    const again = await recordAgentActivity(deps, { event: { ...ended, contacts: [voice('CONNECTED')] } });

    // Assess
    expect([late, again]).toEqual(['stale', 'stale']);
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
  });

  it('reports an unknown Connect username and changes no one', async () => {
    const deps = withAla();

    const outcome = await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T09:00:01.000Z', username: 'stranger', contacts: [voice('CONNECTED')] }),
    });

    expect(outcome).toBe('unknown_agent');
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
    expect(deps.routing.liveOf('bea')?.load).toBe(0);
  });

  it('clears the agent’s contacts on LOGOUT, finding them by the ARN an earlier event stored', async () => {
    // Arrange
    const deps = withAla();
    await recordAgentActivity(deps, { event: event({ at: '2026-11-23T09:00:01.000Z', contacts: [voice('CONNECTED')] }) });

    // Act: a logout record without a snapshot has no username and no contacts.
    const outcome = await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T09:10:00.000Z', eventType: 'LOGOUT', username: null, agentStatus: null }),
    });

    // Assess
    expect(outcome).toBe('applied');
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
    expect(deps.routing.states.get('ala')?.contacts).toEqual({});
  });

  it('clears contacts on a LOGOUT even when its snapshot still lists them', async () => {
    const deps = withAla();
    await recordAgentActivity(deps, { event: event({ at: '2026-11-23T09:00:01.000Z', contacts: [voice('CONNECTED')] }) });

    const outcome = await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T09:10:00.000Z', eventType: 'LOGOUT', contacts: [voice('CONNECTED')] }),
    });

    expect(outcome).toBe('applied');
    expect(deps.routing.liveOf('ala')?.load).toBe(20);
  });

  it('does not match a logout of an unknown ARN to staff without a Connect username', async () => {
    const deps = withAla();

    const outcome = await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T09:10:00.000Z', eventType: 'LOGOUT', username: null, agentArn: `${ARN}-other` }),
    });

    expect(outcome).toBe('unknown_agent');
    expect(deps.routing.states.get('bea')?.contactsAt).toBeNull();
  });

  it('ignores a non-logout record without a snapshot (a heartbeat after logout)', async () => {
    const deps = withAla();

    const outcome = await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T09:10:00.000Z', eventType: 'HEART_BEAT', username: null }),
    });

    expect(outcome).toBe('ignored');
    expect(deps.routing.states.get('ala')?.contactsAt).toBeNull();
  });

  it('makes a changed Connect status the agent’s presence: Available → available, a custom status → away, Offline or logout → offline', async () => {
    // Arrange: Ala is offline in Switchboard.
    const deps = withAla();
    const presence = () => [deps.routing.liveOf('ala')?.presence, deps.routing.agents.get('ala')?.presence];
    const seen: unknown[] = [];

    // Act
    await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T09:00:01.000Z', eventType: 'LOGIN', agentStatus: { name: 'Available', type: 'ROUTABLE' } }),
    });
    seen.push(presence());
    await recordAgentActivity(deps, { event: event({ at: '2026-11-23T09:30:00.000Z', agentStatus: { name: 'Lunch', type: 'CUSTOM' } }) });
    seen.push(presence());
    await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T10:00:00.000Z', agentStatus: { name: 'Offline', type: 'OFFLINE' } }),
    });
    seen.push(presence());
    await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T10:05:00.000Z', agentStatus: { name: 'Available', type: 'ROUTABLE' } }),
    });
    await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T17:00:00.000Z', eventType: 'LOGOUT', username: null, agentStatus: null }),
    });
    seen.push(presence());

    // Assess: the live state and the profile move together.
    expect(seen).toEqual([
      ['available', 'available'],
      ['away', 'away'],
      ['offline', 'offline'],
      ['offline', 'offline'],
    ]);
  });

  it('applies a status only when it changed, so a heartbeat does not undo a presence set in Switchboard', async () => {
    // Arrange: Available in Connect, then set away in Switchboard (e.g. after a lapsed offer).
    const deps = withAla();
    await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T09:00:01.000Z', agentStatus: { name: 'Available', type: 'ROUTABLE' } }),
    });
    deps.routing.states.set('ala', { ...deps.routing.states.get('ala')!, presence: 'away' });

    // Act: a heartbeat with the same Connect status, and an event older than the last.
    await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T09:02:01.000Z', eventType: 'HEART_BEAT', agentStatus: { name: 'Available', type: 'ROUTABLE' } }),
    });
    const stale = await recordAgentActivity(deps, {
      event: event({ at: '2026-11-23T08:00:00.000Z', agentStatus: { name: 'Break', type: 'CUSTOM' } }),
    });

    // Assess
    expect(stale).toBe('stale');
    expect(deps.routing.liveOf('ala')?.presence).toBe('away');
  });
});
