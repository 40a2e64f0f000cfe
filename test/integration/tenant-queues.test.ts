import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHANNEL_WEIGHTS, DEMO_QUEUES, DEMO_ROUTING_STEPS } from '../../lib/demo/scenario.js';
import { backendClient, eventually } from '../support/backend-client.js';
import { type RunningBackend, startBackend } from '../support/local-process.js';

/**
 * A deployment with a queue the demo does not have, configured through context alone (as
 * `-c switchboard:queues=…` would): the local runtime synthesizes it, creates its routing queue,
 * seeds its SLA policy, and routes a case of that queue to an agent of it over HTTP. No code
 * names the queue `returns`.
 */
const RETURNS = { name: 'returns', label: 'Returns', calendar: 'warsaw-office', escalationQueue: 'escalations' };

let backend: RunningBackend;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-tenant-'));
  backend = await startBackend({
    dataDir,
    reset: true,
    context: {
      'switchboard:queues': [...DEMO_QUEUES, RETURNS],
      'switchboard:inboundAddresses': { support: 'customers', stores: 'stores', partners: 'marketplace', returns: 'returns' },
      // Returns need no topic expert: language only, from the first second.
      'switchboard:routingSteps': {
        default: DEMO_ROUTING_STEPS.default,
        byQueue: { returns: [{ afterSeconds: 0, languageMinLevel: 1, topicMinLevel: null }] },
      },
      'switchboard:channelWeights': { ...DEMO_CHANNEL_WEIGHTS, email: 25 },
      'switchboard:slaPolicies': [
        {
          name: 'returns',
          description: 'Returns are answered within the hour',
          rank: 5,
          match: { queues: ['returns'] },
          targets: { firstResponseMinutes: 60, nextResponseMinutes: null, resolutionMinutes: null },
        },
      ],
    },
  });
}, 120_000);

afterAll(async () => {
  await backend?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const { api } = backendClient(() => backend);

describe('a fifth queue from the configuration', () => {
  it('is one of the queues the API knows', async () => {
    const queues = await api('GET', '/queues', 'admin');

    expect(queues.status).toBe(200);
    expect((queues.body.items as { queue: string }[]).map((item) => item.queue)).toContain('returns');
  });

  it('routes a case of the queue to an agent of the queue, with the configured steps and weights', async () => {
    const put = await api('PUT', '/agents/returns-agent', 'admin', {
      name: 'Returns Agent',
      email: 'returns-agent@switchboard.local',
      connectUsername: null,
      roles: ['agents'],
      // Finnish at level 2: only the returns queue's own step (language level 1, no topic) lets it through.
      skills: [{ skill: 'fi', level: 2 }],
      queues: ['returns'],
      capacity: 100,
    });
    expect(put.status).toBe(200);
    expect((await api('PUT', '/agents/returns-agent/presence', 'admin', { status: 'available' })).status).toBe(200);

    const opened = await api('POST', '/cases', 'admin', {
      subject: 'Palautus',
      description: 'Haluan palauttaa kengät.',
      channel: 'email',
      language: 'fi',
      category: 'returns',
      queue: 'returns',
      customer: { email: `returns.${Date.now()}@example.com`, name: 'Testi Asiakas' },
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;

    const offer = await eventually('an offer of the returns case', async () =>
      ((await api('GET', '/agents/returns-agent/work', 'returns-agent')).body.offers as any[]).find((work) => work.caseId === caseId),
    );
    expect(offer).toMatchObject({ queue: 'returns', weight: 25, status: 'offered' });
    const accepted = await api('POST', `/work/${offer.id}/accept`, 'returns-agent');
    expect(accepted.status).toBe(200);
    expect(accepted.body.case).toMatchObject({ id: caseId, queue: 'returns', assigneeId: 'returns-agent' });
  }, 60_000);

  it('applies the SLA policy the configuration gives the queue, seeded as the deployment seeds it', async () => {
    const policies = await api('GET', '/sla/policies', 'admin');
    expect((policies.body.items as any[]).find((policy) => policy.value.name === 'returns')).toMatchObject({ version: 0 });

    const opened = await api('POST', '/cases', 'admin', {
      subject: 'Return label',
      description: 'Please send a return label.',
      channel: 'email',
      queue: 'returns',
      customer: { email: `returns.sla.${Date.now()}@example.com`, name: 'Test Customer' },
    });
    expect(opened.status).toBe(201);

    const sla = await eventually('the returns policy to apply', async () => {
      const found = await api('GET', `/cases/${opened.body.id}/sla`, 'admin');
      return found.status === 200 && found.body.policy?.name === 'returns' ? found.body : null;
    });
    expect(sla.policy).toEqual({ name: 'returns', version: 0 });
  }, 60_000);

  it('refuses a queue the configuration does not have', async () => {
    const refused = await api('PUT', '/agents/nowhere-agent', 'admin', {
      name: 'Nowhere',
      email: 'nowhere@switchboard.local',
      connectUsername: null,
      roles: ['agents'],
      skills: [],
      queues: ['repairs'],
      capacity: 100,
    });

    expect(refused.status).toBe(400);
  });
});
