import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_QUEUES } from '../lib/demo/scenario.js';
import { buildApp } from '../lib/switchboard-app.js';
import type { StackTemplate } from './cloud-template.js';

/**
 * A stand-in Amazon Connect instance, so the local runtime has the telephony stack too: its
 * contact-flow functions, contact-event rule and callback schedule run locally (`POST
 * /local/connect/…`) and its outbound calls go to the local Connect stand-in. Context given by the
 * caller (a real instance) wins.
 */
export const LOCAL_CONNECT_CONTEXT: Readonly<Record<string, unknown>> = {
  'switchboard:connectInstanceArn': 'arn:aws:connect:eu-central-1:000000000000:instance/00000000-0000-4000-8000-00000000c0de',
  'switchboard:connectCallbackFlowId': 'local-callback-flow',
  'switchboard:connectQueueIds': {
    customers: 'local-queue-customers',
    stores: 'local-queue-stores',
    marketplace: 'local-queue-marketplace',
    other: 'local-queue-other',
    escalations: 'local-queue-escalations',
  },
};

/**
 * The stand-in instance with a Connect queue for each queue the context configures (the demo's
 * unless `switchboard:queues` names others), as a real instance needs.
 */
function localConnectContext(context: Record<string, unknown> | undefined): Record<string, unknown> {
  const configured = context?.['switchboard:queues'];
  const queues = (typeof configured === 'string' ? JSON.parse(configured) : configured) as unknown;
  const names = Array.isArray(queues)
    ? queues.map((queue: unknown) => (queue as { name?: unknown } | null)?.name).filter((name): name is string => typeof name === 'string')
    : DEMO_QUEUES.map((queue) => queue.name);
  return {
    ...LOCAL_CONNECT_CONTEXT,
    'switchboard:connectQueueIds': Object.fromEntries(names.map((name) => [name, `local-queue-${name}`])),
  };
}

/**
 * Synthesizes the CDK app in-process, without bundling (the local runtime runs the TypeScript
 * sources), and returns every stack's template. Takes a few seconds; needs no AWS credentials.
 */
export function synthesizeTemplates(context?: Record<string, unknown>): StackTemplate[] {
  const outdir = mkdtempSync(join(tmpdir(), 'switchboard-synth-'));
  try {
    // cdk-nag runs in `npm test` and `cdk synth`; a local start needs only the templates.
    const { app } = buildApp({ skipBundling: true, outdir, nag: false, context: { ...localConnectContext(context), ...context } });
    const assembly = app.synth();
    return assembly.stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template as StackTemplate['template'] }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
