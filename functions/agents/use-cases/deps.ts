import type { CaseSettings } from '#cases';
import type { Clock } from '#platform/domain/clock';
import type { AgentStore } from '../domain/agent-ports.js';

export interface AgentDeps {
  agents: AgentStore;
  clock: Clock;
  settings: CaseSettings;
}
