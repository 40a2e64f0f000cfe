import type { Agent } from '../../domain/agent.js';
import { AGENT_STATE_TABLE_ENTITIES, fill, indexKey, primaryKey } from '#tables/entities';

type Item = Record<string, any>;

const AGENT = AGENT_STATE_TABLE_ENTITIES.agent;

export const agentKey = (id: string) => primaryKey(AGENT.key, { id });
/** The staff list (GSI1): every profile, each followed by its live state. */
export const agentIndex = (id: string) => indexKey('GSI1', AGENT.indexes.GSI1[0], { id });
export const agentListPartition = fill(AGENT.indexes.GSI1[0].pk, {});

export function agentItem(agent: Agent): Item {
  return { ...agent, ...agentKey(agent.id), ...agentIndex(agent.id), entity: AGENT.tag };
}

export function agentFromItem(item: Item): Agent {
  return {
    id: item.id,
    username: item.username,
    name: item.name,
    email: item.email,
    connectUsername: item.connectUsername ?? null,
    roles: item.roles ?? [],
    skills: (item.skills ?? []).map((skill: Item) => ({ skill: skill.skill, level: skill.level })),
    queues: item.queues ?? [],
    capacity: item.capacity,
    presence: item.presence,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

export const agentEntity = { tag: AGENT.tag, key: agentKey, toItem: agentItem, fromItem: agentFromItem } as const;
