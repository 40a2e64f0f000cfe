import { type BusinessCalendar, openIntervals } from '#sla';
import type { CallbackAgent } from './callback-ports.js';

/** Whether a calendar is open at an instant (epoch ms): the queue's team is at work. */
export function isOpenAt(calendar: BusinessCalendar, now: number): boolean {
  const [first] = openIntervals(calendar, now, now + 1);
  return first !== undefined && first.from <= now;
}

/** Whether an agent speaks a language well enough for a call (null: no language asked). */
export function speaks(agent: Pick<CallbackAgent, 'skills'>, language: string | null, minLevel: number): boolean {
  if (language === null) return true;
  return (agent.skills.find((skill) => skill.skill === language)?.level ?? 0) >= minLevel;
}

/**
 * The agents free for a callback's call during one dispatcher run. Free means: `available` in
 * Switchboard and on no Connect contact (a call in progress). The dispatcher does not assign the call
 * (Connect's queue routes it once the customer answers), so each dial takes one matching agent out of
 * the pool for the rest of the run, and so does each call already being dialled: a run never rings
 * more customers for a queue and language than there are agents free to take them.
 */
export class CallbackAgentPool {
  private readonly free: CallbackAgent[];

  constructor(
    agents: readonly CallbackAgent[],
    private readonly languageMinLevel: number,
  ) {
    this.free = agents.filter((agent) => agent.presence === 'available' && !agent.onContact);
  }

  /** Agents still free. */
  get size(): number {
    return this.free.length;
  }

  /**
   * Takes a free agent who serves the queue and speaks the language, the least versatile first
   * (fewest queues and skills, then id), so agents who could take other callbacks stay free for
   * them. Null when none fits; `why` then says what is missing.
   */
  take(queue: string, language: string | null): { agent: CallbackAgent; why: null } | { agent: null; why: string } {
    const ofQueue = this.free.filter((agent) => agent.queues.includes(queue));
    if (ofQueue.length === 0) return { agent: null, why: `no agent of queue ${queue} is free (available and on no call)` };
    const fitting = ofQueue
      .filter((agent) => speaks(agent, language, this.languageMinLevel))
      .sort((a, b) => a.queues.length + a.skills.length - (b.queues.length + b.skills.length) || a.id.localeCompare(b.id));
    const chosen = fitting[0];
    if (!chosen) return { agent: null, why: `no free agent of queue ${queue} speaks ${language} (level ≥ ${this.languageMinLevel})` };
    this.free.splice(this.free.indexOf(chosen), 1);
    return { agent: chosen, why: null };
  }
}
