import { describe, expect, it } from 'vitest';
import type { RoutingDecision } from '#routing/domain/choose-agent';
import { chooseWorkForAgent } from '#routing/domain/choose-work';
import { secondsUntilRecheck } from '#routing/domain/routing-settings';
import { type RoutingStep } from '#routing/domain/routing-steps';
import { trimDecision } from '#routing/use-cases/route-work';
import { aLoad, anAgent, aWorkItem, NOW, secondsAgo } from '../../support/routing-builders.js';
import { DEMO_ROUTING_SETTINGS, DEMO_ROUTING_STEPS } from '../../support/demo-settings.js';

const defaultSteps = () => DEMO_ROUTING_STEPS.default;
const ala = anAgent('ala', { pl: 9, returns: 9 });

describe('chooseWorkForAgent', () => {
  it('takes urgent work first, then the oldest, whatever order the backlog came in', () => {
    // Arrange
    const young = aWorkItem({ id: 'young', enqueuedAt: secondsAgo(10) });
    const old = aWorkItem({ id: 'old', enqueuedAt: secondsAgo(40) });
    const urgent = aWorkItem({ id: 'urgent', priority: 'urgent', enqueuedAt: secondsAgo(5) });

    // Act
    const first = chooseWorkForAgent(ala, aLoad('ala'), [young, old, urgent], NOW, defaultSteps, { includeDeclined: false });
    const afterUrgent = chooseWorkForAgent(ala, aLoad('ala'), [young, old, urgent], NOW, defaultSteps, {
      includeDeclined: false,
      skip: new Set(['urgent']),
    });

    // Assess
    expect(first?.item.id).toBe('urgent');
    expect(afterUrgent?.item.id).toBe('old');
  });

  it('honours skip: items already tried are passed over, and nothing is left when all are', () => {
    const items = [aWorkItem({ id: 'a', enqueuedAt: secondsAgo(30) }), aWorkItem({ id: 'b', enqueuedAt: secondsAgo(20) })];

    const skipA = chooseWorkForAgent(ala, aLoad('ala'), items, NOW, defaultSteps, { includeDeclined: false, skip: new Set(['a']) });
    const skipBoth = chooseWorkForAgent(ala, aLoad('ala'), items, NOW, defaultSteps, { includeDeclined: false, skip: new Set(['a', 'b']) });

    expect(skipA?.item.id).toBe('b');
    expect(skipBoth).toBeNull();
  });

  it('skips items of queues the agent does not serve, even urgent ones', () => {
    const storesUrgent = aWorkItem({ id: 'stores-urgent', queue: 'stores', priority: 'urgent' });
    const customersLow = aWorkItem({ id: 'customers-low', priority: 'low' });

    const choice = chooseWorkForAgent(ala, aLoad('ala'), [storesUrgent, customersLow], NOW, defaultSteps, { includeDeclined: false });

    expect(choice?.item.id).toBe('customers-low');
  });

  it('skips items the agent declined, unless the agent asks for work themselves (includeDeclined)', () => {
    const declined = aWorkItem({ id: 'declined', enqueuedAt: secondsAgo(50), declinedBy: ['ala'] });
    const fresh = aWorkItem({ id: 'fresh', enqueuedAt: secondsAgo(10) });

    const pushed = chooseWorkForAgent(ala, aLoad('ala'), [declined, fresh], NOW, defaultSteps, { includeDeclined: false });
    const pulled = chooseWorkForAgent(ala, aLoad('ala'), [declined, fresh], NOW, defaultSteps, { includeDeclined: true });
    const onlyDeclined = chooseWorkForAgent(ala, aLoad('ala'), [declined], NOW, defaultSteps, { includeDeclined: false });

    expect(pushed?.item.id).toBe('fresh');
    expect(pulled?.item.id).toBe('declined');
    expect(onlyDeclined).toBeNull();
  });

  it('applies the step an item has reached: after 300 s the topic is no longer required', () => {
    // Arrange: a Polish speaker without the returns topic.
    const linguist = anAgent('lin', { pl: 3 });
    const at299 = aWorkItem({ id: 'w299', enqueuedAt: secondsAgo(299) });
    const at301 = aWorkItem({ id: 'w301', enqueuedAt: secondsAgo(301) });

    // Act
    const before = chooseWorkForAgent(linguist, aLoad('lin'), [at299], NOW, defaultSteps, { includeDeclined: false });
    const after = chooseWorkForAgent(linguist, aLoad('lin'), [at301], NOW, defaultSteps, { includeDeclined: false });

    // Assess
    expect(before).toBeNull();
    expect(after?.item.id).toBe('w301');
    expect(after?.step).toEqual({ index: 2, afterSeconds: 300 });
    expect(after?.candidate).toMatchObject({ agentId: 'lin', eligible: true, excludedBecause: [] });
  });

  it('passes over an item the agent is not yet skilled for and takes the next one they are', () => {
    // The older item asks for expert returns (step 0 needs level 5); the agent has 2.
    const novice = anAgent('nov', { pl: 9, returns: 2 });
    const expertOnly = aWorkItem({ id: 'expert', enqueuedAt: secondsAgo(30) });
    const noTopic = aWorkItem({ id: 'no-topic', topic: null, enqueuedAt: secondsAgo(20) });

    const choice = chooseWorkForAgent(novice, aLoad('nov'), [expertOnly, noTopic], NOW, defaultSteps, { includeDeclined: false });

    expect(choice?.item.id).toBe('no-topic');
  });

  it('passes over an item heavier than the room left', () => {
    const call = aWorkItem({ id: 'call', channel: 'phone', weight: 100, priority: 'urgent' });
    const mail = aWorkItem({ id: 'mail' });

    const choice = chooseWorkForAgent(ala, aLoad('ala', { load: 40 }), [call, mail], NOW, defaultSteps, { includeDeclined: false });

    expect(choice?.item.id).toBe('mail');
    expect(choice?.candidate.remaining).toBe(60);
  });

  it('gives nothing to an agent who is not available', () => {
    const choice = chooseWorkForAgent(ala, aLoad('ala', { presence: 'away' }), [aWorkItem()], NOW, defaultSteps, { includeDeclined: true });

    expect(choice).toBeNull();
  });

  it('uses the steps of the item’s own queue', () => {
    const strictStores: readonly RoutingStep[] = [{ afterSeconds: 0, languageMinLevel: 10, topicMinLevel: null }];
    const storesAgent = anAgent('sto', { pl: 9, returns: 9 }, { queues: ['stores'] });
    const item = aWorkItem({ queue: 'stores' });

    const choice = chooseWorkForAgent(
      storesAgent,
      aLoad('sto'),
      [item],
      NOW,
      (queue) => (queue === 'stores' ? strictStores : DEMO_ROUTING_STEPS.default),
      { includeDeclined: false },
    );

    expect(choice).toBeNull();
  });
});

describe('secondsUntilRecheck', () => {
  const settings = DEMO_ROUTING_SETTINGS;

  it('waits until the next routing step when it starts before the recheck interval', () => {
    expect(secondsUntilRecheck(settings, 'customers', 10)).toBe(50);
    expect(secondsUntilRecheck(settings, 'customers', 290)).toBe(10);
  });

  it('waits the recheck interval when the next step is further away, or there is none', () => {
    expect(secondsUntilRecheck(settings, 'customers', 0)).toBe(60);
    expect(secondsUntilRecheck(settings, 'customers', 60)).toBe(60);
    expect(secondsUntilRecheck(settings, 'customers', 120)).toBe(60);
    expect(secondsUntilRecheck(settings, 'customers', 5_000)).toBe(60);
  });

  it('never asks SQS for more than 900 s, nor for less than 1 s', () => {
    expect(secondsUntilRecheck({ ...settings, backlogRecheckSeconds: 3_600 }, 'customers', 5_000)).toBe(900);
    expect(secondsUntilRecheck({ ...settings, backlogRecheckSeconds: 0 }, 'customers', 10)).toBe(1);
  });

  it('reads the steps of the queue when it has its own', () => {
    const own = {
      ...settings,
      stepsByQueue: {
        stores: [
          { afterSeconds: 0, languageMinLevel: 5, topicMinLevel: 5 },
          { afterSeconds: 20, languageMinLevel: 1, topicMinLevel: null },
        ],
      },
    };

    expect(secondsUntilRecheck(own, 'stores', 5)).toBe(15);
    expect(secondsUntilRecheck(own, 'customers', 5)).toBe(55);
  });
});

describe('trimDecision', () => {
  function decisionWith(candidateIds: string[]): RoutingDecision {
    return {
      itemId: 'case-1',
      caseId: 'case-1',
      at: new Date(NOW).toISOString(),
      step: { index: 0, afterSeconds: 0, requirements: [] },
      waitedSeconds: 0,
      candidates: candidateIds.map((agentId) => ({
        agentId,
        skills: [],
        load: 0,
        capacity: 100,
        remaining: 100,
        idleSeconds: 0,
        eligible: true,
        excludedBecause: [],
        declinedBefore: false,
      })),
      winner: candidateIds[0] ?? null,
      reason: 'test',
    };
  }

  it('keeps the best-ranked candidates and counts the rest', () => {
    const trimmed = trimDecision(decisionWith(['a', 'b', 'c', 'd', 'e']), 2);

    expect(trimmed.candidates.map((c) => c.agentId)).toEqual(['a', 'b']);
    expect(trimmed.omittedCandidates).toBe(3);
    expect(trimmed.winner).toBe('a');
  });

  it('leaves a decision within the limit as it is, without a count', () => {
    const decision = decisionWith(['a', 'b']);

    const trimmed = trimDecision(decision, 2);

    expect(trimmed).toBe(decision);
    expect(trimmed.omittedCandidates).toBeUndefined();
  });
});
