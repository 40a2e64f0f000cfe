import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../lib/switchboard-app.js';
import type { StackTemplate } from './cloud-template.js';

/**
 * Synthesizes the CDK app in-process, without bundling (the local runtime runs the TypeScript
 * sources), and returns every stack's template. Takes a few seconds; needs no AWS credentials.
 */
export function synthesizeTemplates(context?: Record<string, unknown>): StackTemplate[] {
  const outdir = mkdtempSync(join(tmpdir(), 'switchboard-synth-'));
  try {
    // cdk-nag runs in `npm test` and `cdk synth`; a local start needs only the templates.
    const { app } = buildApp({ skipBundling: true, outdir, nag: false, ...(context ? { context } : {}) });
    const assembly = app.synth();
    return assembly.stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template as StackTemplate['template'] }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
