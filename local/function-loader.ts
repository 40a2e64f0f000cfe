import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { CloudModel } from './cloud-template.js';

/**
 * Loads the functions of the synthesized template as the local runtime runs them: each entry's
 * TypeScript source, imported once, after its environment variables (resolved to the local
 * resources) are set. All functions share one process, so two functions giving the same variable
 * different values is refused.
 */
export class FunctionLoader {
  private readonly loaded = new Map<string, Promise<(...args: never[]) => Promise<unknown>>>();
  private readonly repoRoot = resolve(import.meta.dirname, '..');

  constructor(private readonly model: CloudModel) {}

  /** Sets every function's environment; call once every local resource is bound. */
  applyEnvironment(): void {
    for (const fn of this.model.functions.values()) {
      for (const [name, value] of Object.entries(fn.environment)) {
        // Source maps are for bundles; locally tsx maps the TypeScript itself.
        if (name === 'NODE_OPTIONS') continue;
        const resolved = this.model.resolve(value, fn.stackName);
        if (process.env[name] !== undefined && process.env[name] !== resolved) {
          throw new Error(`functions disagree on ${name}: ${process.env[name]} vs ${resolved}`);
        }
        process.env[name] = resolved;
      }
    }
  }

  /** The handler of a function by logical id. */
  handler<T>(logicalId: string): Promise<T> {
    let loading = this.loaded.get(logicalId);
    if (!loading) {
      const fn = this.model.functions.get(logicalId);
      if (!fn) throw new Error(`no function ${logicalId} in the template`);
      loading = import(pathToFileURL(join(this.repoRoot, fn.entry)).href).then((module: Record<string, unknown>) => {
        const handler = module[fn.exportName];
        if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export ${fn.exportName}`);
        return handler as (...args: never[]) => Promise<unknown>;
      });
      this.loaded.set(logicalId, loading);
    }
    return loading as Promise<T>;
  }

  /** A readable name for logs: the entry file without folders. */
  nameOf(logicalId: string): string {
    return this.model.functions.get(logicalId)?.entry.split('/').at(-1)?.replace(/\.ts$/, '') ?? logicalId;
  }
}

/** A Lambda context with the fields handlers and Powertools read, for a function given its timeout. */
export function lambdaContext(options: { functionName: string; functionArn: string; timeoutMs: number; requestId?: string }): Context {
  const deadline = Date.now() + options.timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: options.functionArn,
    memoryLimitInMB: '1024',
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The local ARN of a function by its local name. */
export function functionArn(local: { region: string; account: string }, functionName: string): string {
  return `arn:aws:lambda:${local.region}:${local.account}:function:${functionName}`;
}

/**
 * What a state machine's Task states call: the function a name or ARN names (by its local name; a
 * qualifier is ignored, there is only `$LATEST`), run with the payload and a Lambda context. Its
 * errors fail the task; an unknown function fails it as Lambda would.
 */
export function functionInvoker(
  model: CloudModel,
  functions: FunctionLoader,
  local: { region: string; account: string },
): (functionNameOrArn: string, payload: unknown) => Promise<unknown> {
  return async (functionNameOrArn, payload) => {
    const name = /(?:^|:)function:([^:]+)/.exec(functionNameOrArn)?.[1] ?? functionNameOrArn.split(':')[0];
    const fn = [...model.functions.values()].find((candidate) => candidate.localName === name);
    if (!fn) throw Object.assign(new Error(`Function not found: ${functionNameOrArn}`), { name: 'Lambda.ResourceNotFoundException' });
    const handler = await functions.handler<(event: unknown, context: Context) => Promise<unknown>>(fn.logicalId);
    return handler(
      payload,
      lambdaContext({ functionName: fn.localName, functionArn: functionArn(local, fn.localName), timeoutMs: fn.timeoutSeconds * 1000 }),
    );
  };
}
