import type { Agent, AgentLoad } from '#agents/domain/agent';
import type { Channel, Priority } from '#cases/domain/case';
import { chooseAgent } from '#routing/domain/choose-agent';
import { compareBacklog, type WorkItem } from '#routing/domain/work-item';
import { demoStaff } from '#local/demo-data';
import { percentile, round, type Figure } from './report.js';
import { DEMO_CHANNEL_WEIGHTS, DEMO_ROUTING_STEPS } from '../test/support/demo-settings.js';

/**
 * A working day of the seed scenario run through the routing policy, beside round-robin and random
 * assignment in the same run: the same arrivals (seeded), the same agents, the same handle times.
 * The baselines respect presence, queue and room (as any router must) but not skills.
 */

/** Minutes an item keeps an agent busy, by channel (config of the simulation). */
const HANDLE_MINUTES: Partial<Record<Channel, number>> = { phone: 6, chat: 9, email: 12 };
const DAY_MINUTES = 8 * 60;
const TICK_SECONDS = 5;

/** Deterministic pseudo-random numbers (mulberry32), so every run simulates the same day. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = next() * total;
  for (const [value, weight] of weighted) {
    roll -= weight;
    if (roll <= 0) return value;
  }
  return (weighted.at(-1) as [T, number])[0];
}

interface Arrival {
  item: WorkItem;
  atSecond: number;
}

/** The day's arrivals: channels, languages, queues, topics and priorities as the seed scenario has them. */
function arrivals(count: number, seed: number): Arrival[] {
  const next = random(seed);
  const list: Arrival[] = [];
  for (let i = 0; i < count; i += 1) {
    const channel = pick<Channel>(next, [
      ['email', 60],
      ['phone', 25],
      ['chat', 15],
    ]);
    const queue = pick(next, [
      ['customers', 70],
      ['stores', 15],
      ['marketplace', 15],
    ]);
    const language =
      queue === 'stores'
        ? 'pl'
        : pick(next, [
            ['pl', 70],
            ['en', 20],
            ['de', 10],
          ]);
    const atSecond = Math.floor(next() * (DAY_MINUTES - 30) * 60);
    list.push({
      atSecond,
      item: {
        id: `w${String(i).padStart(4, '0')}`,
        caseId: `c${i}`,
        queue,
        channel,
        weight: DEMO_CHANNEL_WEIGHTS[channel],
        language,
        topic: pick(next, [
          ['orders', 35],
          ['returns', 30],
          ['marketplace', 15],
          ['sales', 10],
          ['difficult-customers', 10],
        ]),
        priority: pick<Priority>(next, [
          ['urgent', 5],
          ['high', 15],
          ['normal', 70],
          ['low', 10],
        ]),
        enqueuedAt: '',
        declinedBy: [],
      },
    });
  }
  return list.sort((a, b) => a.atSecond - b.atSecond);
}

type Strategy = (item: WorkItem, agents: Agent[], loads: Map<string, AgentLoad>, nowMs: number) => string | null;

const policy: Strategy = (item, agents, loads, nowMs) => chooseAgent(item, agents, loads, nowMs, DEMO_ROUTING_STEPS.default).winner;

function withRoom(item: WorkItem, agents: Agent[], loads: Map<string, AgentLoad>): Agent[] {
  return agents.filter((agent) => {
    const load = loads.get(agent.id) as AgentLoad;
    return agent.queues.includes(item.queue) && load.presence === 'available' && load.capacity - load.load >= item.weight;
  });
}

function roundRobin(): Strategy {
  let cursor = 0;
  return (item, agents, loads) => {
    const open = withRoom(item, agents, loads);
    if (open.length === 0) return null;
    cursor += 1;
    return (open[cursor % open.length] as Agent).id;
  };
}

function randomPick(seed: number): Strategy {
  const next = random(seed);
  return (item, agents, loads) => {
    const open = withRoom(item, agents, loads);
    return open.length === 0 ? null : (open[Math.floor(next() * open.length)] as Agent).id;
  };
}

interface DayResult {
  mismatches: number;
  maxLoadShare: number;
  waits: Map<Priority, number[]>;
  busySeconds: number[];
  unassigned: number;
}

function simulate(strategy: Strategy, agents: Agent[], day: Arrival[], start: number): DayResult {
  const loads = new Map(
    agents.map((agent) => [
      agent.id,
      {
        agentId: agent.id,
        presence: 'available',
        load: 0,
        capacity: agent.capacity,
        idleSince: new Date(start).toISOString(),
      } as AgentLoad,
    ]),
  );
  const busy = new Map(agents.map((agent) => [agent.id, 0]));
  let running: { agentId: string; weight: number; endsAt: number }[] = [];
  const backlog: WorkItem[] = [];
  const waits = new Map<Priority, number[]>();
  let mismatches = 0;
  let maxLoadShare = 0;
  let nextArrival = 0;

  for (let second = 0; second <= DAY_MINUTES * 60; second += TICK_SECONDS) {
    const nowMs = start + second * 1000;
    const finished = running.filter((job) => job.endsAt <= nowMs);
    running = running.filter((job) => job.endsAt > nowMs);
    for (const job of finished) {
      const load = loads.get(job.agentId) as AgentLoad;
      load.load -= job.weight;
      if (load.load === 0) load.idleSince = new Date(nowMs).toISOString();
    }
    for (; nextArrival < day.length && (day[nextArrival] as Arrival).atSecond <= second; nextArrival += 1) {
      const arrival = day[nextArrival] as Arrival;
      backlog.push({ ...arrival.item, enqueuedAt: new Date(start + arrival.atSecond * 1000).toISOString() });
    }
    for (const load of loads.values()) if (load.load > 0) busy.set(load.agentId, (busy.get(load.agentId) as number) + TICK_SECONDS);
    backlog.sort(compareBacklog);
    for (let i = 0; i < backlog.length; i += 1) {
      const item = backlog[i] as WorkItem;
      const winner = strategy(item, agents, loads, nowMs);
      if (!winner) continue;
      const agent = agents.find((candidate) => candidate.id === winner) as Agent;
      const load = loads.get(winner) as AgentLoad;
      load.load += item.weight;
      load.idleSince = null;
      maxLoadShare = Math.max(maxLoadShare, load.load / load.capacity);
      if (!agent.skills.some((skill) => skill.skill === item.language && skill.level >= 1)) mismatches += 1;
      running.push({ agentId: winner, weight: item.weight, endsAt: nowMs + (HANDLE_MINUTES[item.channel] ?? 10) * 60_000 });
      waits.set(item.priority, [...(waits.get(item.priority) ?? []), (nowMs - Date.parse(item.enqueuedAt)) / 1000]);
      backlog.splice(i, 1);
      i -= 1;
    }
  }
  return { mismatches, maxLoadShare, waits, busySeconds: [...busy.values()], unassigned: backlog.length };
}

/** Standard deviation of the agents' busy share of the day, in percentage points. */
function spread(busySeconds: number[]): number {
  const shares = busySeconds.map((seconds) => (100 * seconds) / (DAY_MINUTES * 60));
  const mean = shares.reduce((sum, share) => sum + share, 0) / shares.length;
  return Math.sqrt(shares.reduce((sum, share) => sum + (share - mean) ** 2, 0) / shares.length);
}

export function simulateRoutingDay(options: { arrivals: number; seed: number }): { figures: Figure[]; table: string[] } {
  const agents = demoStaff('2026-11-23T00:00:00.000Z').filter((member) => member.roles.includes('agents'));
  const day = arrivals(options.arrivals, options.seed);
  const start = Date.parse('2026-11-23T08:00:00.000Z');
  const results: [string, DayResult][] = [
    ['policy', simulate(policy, agents, day, start)],
    ['round-robin', simulate(roundRobin(), agents, day, start)],
    ['random', simulate(randomPick(options.seed + 1), agents, day, start)],
  ];
  const figures: Figure[] = [];
  const table = [
    '| strategy | language mismatches | max load / capacity | wait p50 / p90 urgent (s) | wait p50 / p90 normal (s) | busy-share spread (pp) | unassigned at close |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [name, result] of results) {
    const wait = (priority: Priority, p: number) => round(percentile(result.waits.get(priority) ?? [0], p), 0);
    figures.push(
      {
        name: `routing day ${name}: language mismatches`,
        value: result.mismatches,
        unit: 'items',
        ...(name === 'policy' ? { target: '0' } : {}),
      },
      { name: `routing day ${name}: max load / capacity`, value: round(result.maxLoadShare), unit: 'ratio', target: '<= 1' },
      { name: `routing day ${name}: wait p50 urgent`, value: wait('urgent', 50), unit: 's' },
      { name: `routing day ${name}: wait p90 urgent`, value: wait('urgent', 90), unit: 's' },
      { name: `routing day ${name}: wait p50 normal`, value: wait('normal', 50), unit: 's' },
      { name: `routing day ${name}: wait p90 normal`, value: wait('normal', 90), unit: 's' },
      { name: `routing day ${name}: busy-share spread`, value: round(spread(result.busySeconds), 1), unit: 'pp' },
      { name: `routing day ${name}: unassigned at close`, value: result.unassigned, unit: 'items' },
    );
    table.push(
      `| ${name} | ${result.mismatches} | ${round(result.maxLoadShare)} | ${wait('urgent', 50)} / ${wait('urgent', 90)} | ${wait('normal', 50)} / ${wait('normal', 90)} | ${round(spread(result.busySeconds), 1)} | ${result.unassigned} |`,
    );
  }
  return { figures, table };
}
