import type { Channel, Priority } from '#cases';
import { PRIORITIES } from '#cases';

/** A skill a work item needs, at least at a level (1–10). */
export interface SkillRequirement {
  skill: string;
  minLevel: number;
}

/** One case that needs an agent, as routing sees it. */
export interface WorkItem {
  id: string;
  caseId: string;
  queue: string;
  channel: Channel;
  /** Capacity units the item takes from an agent's budget while it is offered or accepted. */
  weight: number;
  language: string | null;
  /** The topic skill (from the case's category), or null when the case has none. */
  topic: string | null;
  priority: Priority;
  /** When the item started waiting (ISO): its age decides the routing step and the backlog order. */
  enqueuedAt: string;
  /** Agents who declined or let an offer lapse: never offered the item again first. */
  declinedBy: string[];
}

/**
 * Backlog order: urgent before high before normal before low, then the oldest first; the id
 * breaks ties so the order is total and every router sees the same one.
 */
export function compareBacklog(a: WorkItem, b: WorkItem): number {
  return (
    PRIORITIES.indexOf(b.priority) - PRIORITIES.indexOf(a.priority) ||
    Date.parse(a.enqueuedAt) - Date.parse(b.enqueuedAt) ||
    a.id.localeCompare(b.id)
  );
}

/** Whole seconds an item has waited by `now` (ms): what decides its routing step. */
export function waitedSecondsOf(item: Pick<WorkItem, 'enqueuedAt'>, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(item.enqueuedAt)) / 1000));
}
