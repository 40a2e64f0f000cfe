import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { type BuildAppProps, buildApp, type SwitchboardApp } from '../../lib/switchboard-app.js';

export interface Synthesized extends SwitchboardApp {
  statefulTemplate: Template;
  apiTemplate: Template;
  emailTemplate: Template;
}

/**
 * Builds the app the way `cdk synth` does, minus esbuild (placeholder assets keep a synthesis to a
 * few seconds), into a throw-away directory so tests never touch cdk.out. cdk-nag is off unless
 * asked for: cdk-nag.test.ts runs the pack itself, so a finding fails that test and not every file.
 * Call it at file or describe level: it registers the clean-up of its directory as an afterAll hook.
 */
export function synthesize(props: Omit<BuildAppProps, 'skipBundling' | 'outdir'> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'switchboard-infra-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const built = buildApp({ nag: false, ...props, skipBundling: true, outdir });
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    apiTemplate: Template.fromStack(built.api),
    emailTemplate: Template.fromStack(built.email),
  };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> }>;

export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The logical id of the function built from an entry file such as `functions/cases/api/handler.ts`. */
export function functionIdOf(template: Template, entry: string): string {
  const matches = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(
    ([, resource]) => resource.Metadata?.['switchboard:entry'] === entry,
  );
  if (matches.length !== 1) throw new Error(`expected one function with entry ${entry}, found ${matches.length}`);
  return matches[0]![0];
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every IAM statement that applies to a function's execution role, from all policies attached to it. */
export function statementsOf(template: Template, functionId: string): Statement[] {
  const fn = template.toJSON().Resources[functionId];
  const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties?.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })),
  );
  const role = template.toJSON().Resources[roleId];
  const inline = (role.Properties.Policies ?? []).flatMap((policy: any) => policy.PolicyDocument.Statement);
  return [...policies.flatMap((policy) => policy.Properties!.PolicyDocument.Statement as Statement[]), ...inline];
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
