import { describe, expect, it } from 'vitest';
import type { Actor } from '#platform/domain/actor';
import { ForbiddenError } from '#platform/domain/errors';
import { listAgentWork } from '#routing/use-cases/list-agent-work';
import { agentNamed, anAgent, anOffer, aWorkRecord, NOW, routingDeps } from '../../support/routing-builders.js';

const supervisor: Actor = { kind: 'user', id: 'sup', roles: ['supervisors'] };

function withWork() {
  const deps = routingDeps();
  deps.routing.addStaff(anAgent('ala'), { load: 60 });
  deps.routing.putWork(anOffer('ala', 'offer-1', { id: 'open-offer', caseId: 'open-offer' }));
  deps.routing.putWork(anOffer('ala', 'offer-2', { id: 'lapsed', caseId: 'lapsed', offerExpiresAt: new Date(NOW - 1).toISOString() }));
  deps.routing.putWork(anOffer('ala', 'offer-3', { id: 'accepted', caseId: 'accepted', status: 'accepted' }));
  deps.routing.putWork(anOffer('bea', 'offer-4', { id: 'beas', caseId: 'beas' }));
  deps.routing.putWork(aWorkRecord({ id: 'waiting', caseId: 'waiting' }));
  return deps;
}

describe('listAgentWork', () => {
  it('lists the agent’s open offers and accepted work, leaving out offers past their expiry', async () => {
    const deps = withWork();

    const work = await listAgentWork(deps, { agentId: 'ala' }, agentNamed('ala'));

    expect(work.offers.map((w) => w.id)).toEqual(['open-offer']);
    expect(work.accepted.map((w) => w.id)).toEqual(['accepted']);
  });

  it('shows anyone’s work to a supervisor, and only their own to an agent', async () => {
    const deps = withWork();

    expect((await listAgentWork(deps, { agentId: 'bea' }, supervisor)).offers.map((w) => w.id)).toEqual(['beas']);
    await expect(listAgentWork(deps, { agentId: 'bea' }, agentNamed('ala'))).rejects.toThrow(ForbiddenError);
  });
});
