import { describe, expect, it } from 'vitest';
import type { AgentLoad } from '#agents/domain/agent';
import { chooseAgent } from '#routing/domain/choose-agent';
import { compareBacklog, type WorkItem } from '#routing/domain/work-item';
import { anAgent } from '../../support/routing-builders.js';
import { DEMO_ROUTING_STEPS } from '../../support/demo-settings.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

const agent = anAgent;

function load(agentId: string, units: number, idleSecondsAgo: number | null = 0, presence: AgentLoad['presence'] = 'available'): AgentLoad {
  return {
    agentId,
    presence,
    load: units,
    capacity: 100,
    idleSince: idleSecondsAgo === null ? null : new Date(NOW - idleSecondsAgo * 1000).toISOString(),
  };
}

function item(overrides: Partial<WorkItem> = {}): WorkItem {
  return {
    id: 'w1',
    caseId: 'c1',
    queue: 'customers',
    channel: 'email',
    weight: 20,
    language: 'pl',
    topic: 'returns',
    priority: 'normal',
    enqueuedAt: new Date(NOW).toISOString(),
    declinedBy: [],
    ...overrides,
  };
}

const loads = (...entries: AgentLoad[]) => new Map(entries.map((entry) => [entry.agentId, entry]));

describe('chooseAgent', () => {
  it('picks, among skilled available agents with room, the one with most room, and explains it', () => {
    const agents = [agent('ala', { pl: 10, returns: 8 }), agent('bea', { pl: 10, returns: 6 }), agent('cyd', { pl: 10, returns: 9 })];

    const decision = chooseAgent(
      item(),
      agents,
      loads(load('ala', 60), load('bea', 20), load('cyd', 100, null)),
      NOW,
      DEMO_ROUTING_STEPS.default,
    );

    expect(decision.winner).toBe('bea');
    expect(decision.reason).toBe('bea has the most room (80 of 100; next ala with 40)');
    expect(decision.candidates.find((c) => c.agentId === 'cyd')?.excludedBecause).toEqual(['room 0 < weight 20']);
    expect(decision.step).toEqual({
      index: 0,
      afterSeconds: 0,
      requirements: [
        { skill: 'pl', minLevel: 5 },
        { skill: 'returns', minLevel: 5 },
      ],
    });
  });

  it('never offers work to someone away, offline or busy, or outside the queue, or without the language', () => {
    const agents = [
      agent('away', { pl: 10, returns: 9 }),
      agent('german', { de: 10, returns: 9 }),
      agent('stores-only', { pl: 10, returns: 9 }, { queues: ['stores'] }),
    ];

    const decision = chooseAgent(item(), agents, loads(load('away', 0, 0, 'away'), load('german', 0)), NOW, DEMO_ROUTING_STEPS.default);

    expect(decision.winner).toBeNull();
    expect(decision.candidates.map((c) => [c.agentId, c.excludedBecause])).toEqual([
      ['away', ['presence away']],
      ['german', ['pl 0 < 5']],
    ]);
    expect(decision.reason).toContain('backlog');
  });

  it('relaxes the levels as the item waits: experts first, after 60 s any level, after 5 minutes language only', () => {
    const novice = agent('novice', { pl: 3, returns: 2 });
    const linguist = agent('linguist', { pl: 8 });
    const at = (seconds: number) =>
      chooseAgent(
        item({ enqueuedAt: new Date(NOW - seconds * 1000).toISOString() }),
        [novice, linguist],
        loads(),
        NOW,
        DEMO_ROUTING_STEPS.default,
      );

    expect(at(10).winner).toBeNull();
    expect(at(61).winner).toBe('novice');
    expect(
      chooseAgent(item({ enqueuedAt: new Date(NOW - 301_000).toISOString() }), [linguist], loads(), NOW, DEMO_ROUTING_STEPS.default).winner,
    ).toBe('linguist');
  });

  it('breaks a tie on room by the longest idle, then by id, the same way every time', () => {
    const agents = [agent('zed', { pl: 9, returns: 9 }), agent('amy', { pl: 9, returns: 9 }), agent('bob', { pl: 9, returns: 9 })];

    const byIdle = chooseAgent(
      item(),
      agents,
      loads(load('zed', 0, 600), load('amy', 0, 60), load('bob', 0, 60)),
      NOW,
      DEMO_ROUTING_STEPS.default,
    );
    const byId = chooseAgent(
      item(),
      agents,
      loads(load('zed', 0, 60), load('amy', 0, 60), load('bob', 0, 60)),
      NOW,
      DEMO_ROUTING_STEPS.default,
    );

    expect(byIdle.winner).toBe('zed');
    expect(byIdle.reason).toContain('idle longest (600 s; next 60 s)');
    expect(byId.winner).toBe('amy');
  });

  it('offers an item to an agent who declined it only when nobody else can take it', () => {
    const agents = [agent('ala', { pl: 9, returns: 9 }), agent('bea', { pl: 9, returns: 9 })];

    const others = chooseAgent(
      item({ declinedBy: ['ala'] }),
      agents,
      loads(load('ala', 0), load('bea', 40)),
      NOW,
      DEMO_ROUTING_STEPS.default,
    );
    const onlyDecliner = chooseAgent(
      item({ declinedBy: ['ala'] }),
      agents,
      loads(load('ala', 0), load('bea', 0, 0, 'offline')),
      NOW,
      DEMO_ROUTING_STEPS.default,
    );

    expect(others.winner).toBe('bea');
    expect(onlyDecliner.winner).toBe('ala');
  });

  it('counts one capacity budget across channels: a phone call leaves no room for an email', () => {
    const agents = [agent('ala', { pl: 9, returns: 9 })];

    const decision = chooseAgent(item(), agents, loads(load('ala', 100, null)), NOW, DEMO_ROUTING_STEPS.default);

    expect(decision.winner).toBeNull();
  });
});

describe('compareBacklog', () => {
  it('puts urgent work first, then the oldest', () => {
    const old = item({ id: 'old', enqueuedAt: '2026-11-23T08:00:00.000Z' });
    const young = item({ id: 'young', enqueuedAt: '2026-11-23T09:00:00.000Z' });
    const urgent = item({ id: 'urgent', priority: 'urgent', enqueuedAt: '2026-11-23T09:30:00.000Z' });

    expect([young, urgent, old].sort(compareBacklog).map((w) => w.id)).toEqual(['urgent', 'old', 'young']);
  });
});
