import type { Presence, StaffMember } from '../../domain/agent.js';
import { AGENT_STATE_TABLE_ENTITIES, indexKey, primaryKey } from '#tables/entities';

type Item = Record<string, unknown>;

const AGENT_STATE = AGENT_STATE_TABLE_ENTITIES['agent-state'];

/**
 * Live state of an agent (presence, load, capacity), beside the profile so one query lists both.
 * Written only by update expressions: `agentStateUpdate` and routing's reservations and releases.
 */
export const agentStateKey = (agentId: string) => primaryKey(AGENT_STATE.key, { agentId });
/** In the staff list (GSI1) right after the agent's profile. */
export const agentStateIndex = (agentId: string) => indexKey('GSI1', AGENT_STATE.indexes.GSI1[0], { agentId });

/** An agent's live state item as routing reads it; the profile fills in what a missing state lacks. */
export function liveFrom(agentId: string, state: Item | undefined, profile: Item | null): StaffMember['live'] {
  return {
    agentId,
    presence: (state?.presence ?? profile?.presence ?? 'offline') as Presence,
    load: Number(state?.load ?? 0),
    capacity: Number(state?.capacity ?? profile?.capacity ?? 0),
    idleSince: (state?.idleSince as string | null | undefined) ?? null,
    connectAgentArn: (state?.connectAgentArn as string | undefined) ?? null,
  };
}

export const agentStateEntity = {
  tag: AGENT_STATE.tag,
  key: agentStateKey,
  fromItem: (item: Item) => liveFrom(String(item.agentId), item, null),
} as const;
