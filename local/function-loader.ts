import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
