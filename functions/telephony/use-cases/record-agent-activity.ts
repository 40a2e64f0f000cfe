import { type ConnectAgentEvent, channelOfContact, occupyingContacts, presenceOfAgentStatus } from '../domain/agent-activity.js';
import type { ContactLoadStore, RoutingStore } from '#routing';
import type { RoutingSettings } from '#routing';

export interface AgentActivityDeps {
  routing: Pick<RoutingStore, 'listStaff'>;
  contacts: ContactLoadStore;
  settings: RoutingSettings;
}

export type ActivityOutcome = 'applied' | 'stale' | 'unknown_agent' | 'ignored';

/**
 * One Amazon Connect agent event (from the agent event stream) into the agent's load: the
 * contacts that hold the agent (ringing, connected, on hold) weigh on the same capacity budget as
 * routed cases, by channel (a call 100 of a default 100), so an agent on a call gets no email.
 *
 * 1. Events without a snapshot (a heartbeat after logout) change nothing; a logout clears the
 *    agent's contacts.
 * 2. Find the agent by their Connect username.
 * 3. Store the contacts and the load they add, replacing what an earlier event stored; an event
 *    older than the stored one changes nothing (Kinesis may redeliver, shards may reorder).
 *    When the load falls (a call ended), the table stream drains the backlog for the agent.
 * 4. A changed Connect status becomes the agent's presence (`presenceOfAgentStatus`): an agent who
 *    goes Available in the CCP gets Switchboard's work too; Break or Offline stops it.
 */
export async function recordAgentActivity(deps: AgentActivityDeps, input: { event: ConnectAgentEvent }): Promise<ActivityOutcome> {
  const { event } = input;
  if (event.eventType !== 'LOGOUT' && event.username === null) return 'ignored';
  const staff = await deps.routing.listStaff();
  const username = event.username ?? usernameFromArn(event.agentArn, staff);
  const member = staff.find((candidate) => candidate.agent.connectUsername !== null && candidate.agent.connectUsername === username);
  if (!member) return 'unknown_agent';
  const held = event.eventType === 'LOGOUT' ? [] : occupyingContacts(event.contacts);
  const weights = Object.fromEntries(
    held.map((contact) => [contact.contactId, deps.settings.channelWeights[channelOfContact(contact.channel)]]),
  );
  const presence = presenceOfAgentStatus(event.eventType, event.agentStatus);
  // A logout's record may carry no status: name it, so it counts as a change from whatever was stored.
  const statusName = event.eventType === 'LOGOUT' ? 'Logout' : (event.agentStatus?.name ?? null);
  const status = presence !== null && statusName !== null ? { name: statusName, presence } : null;
  return deps.contacts.applyContacts(member.agent.id, { contacts: weights, connectAgentArn: event.agentArn, at: event.at, status });
}

/** A logout may carry no snapshot: the agent is then found by the ARN an earlier event stored. */
function usernameFromArn(agentArn: string, staff: Awaited<ReturnType<AgentActivityDeps['routing']['listStaff']>>): string | null {
  return staff.find((member) => member.live.connectAgentArn === agentArn)?.agent.connectUsername ?? null;
}
