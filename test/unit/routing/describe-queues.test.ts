import { describe, expect, it } from 'vitest';
import { describeQueues } from '#routing/use-cases/describe-queues';
import { anAgent, anOffer, aWorkRecord, routingDeps, secondsAgo } from '../../support/routing-builders.js';
import { DEMO_QUEUES } from '../../support/demo-settings.js';

describe('describeQueues', () => {
  it('counts waiting items by priority, the oldest wait, and the agents serving, available and with room', async () => {
    // Arrange
    const deps = routingDeps();
    deps.routing.addStaff(anAgent('ala'), { load: 0 });
    deps.routing.addStaff(anAgent('bea'), { load: 90 });
    deps.routing.addStaff(anAgent('cyd'), { presence: 'offline' });
    deps.routing.addStaff(anAgent('dan', {}, { queues: ['stores'] }));
    deps.routing.putWork(aWorkRecord({ id: 'a', enqueuedAt: secondsAgo(30) }));
    deps.routing.putWork(aWorkRecord({ id: 'b', priority: 'urgent', enqueuedAt: secondsAgo(125) }));
    deps.routing.putWork(aWorkRecord({ id: 'c', enqueuedAt: secondsAgo(5) }));
    deps.routing.putWork(anOffer('ala', 'offer-1', { id: 'offered', enqueuedAt: secondsAgo(900) }));

    // Act
    const [customers, stores] = await describeQueues(deps, { queues: DEMO_QUEUES.slice(0, 2) });

    // Assess
    expect(customers).toEqual({
      queue: 'customers',
      label: 'Customers',
      waiting: 3,
      waitingByPriority: { normal: 2, urgent: 1 },
      oldestWaitSeconds: 125,
      agentsAvailable: 2,
      agentsWithRoom: 1,
      agentsServing: 3,
    });
    expect(stores).toMatchObject({
      queue: 'stores',
      waiting: 0,
      waitingByPriority: {},
      oldestWaitSeconds: null,
      agentsAvailable: 1,
      agentsServing: 1,
    });
  });
});
