/**
 * Step Functions definitions as the stand-in runs them: adjusted for the library and for Node
 * timers, and read where the stand-in must know what a Wait state will do.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Json, TaskTarget } from './stepfunctions-executions.js';

/** The longest delay a Node timer takes; longer ones fire after 1 ms (with a TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/**
 * The definition the library runs: JSONata and `Assign` refused, `QueryLanguage: JSONPath` dropped
 * (the library knows no such field), `ResultPath: "$"` dropped, timeouts fitted to Node timers, and
 * every Task's target found.
 */
export function prepareDefinition(
  definition: unknown,
  machineName: string,
): { prepared: StateMachineDefinition; tasks: Map<string, TaskTarget> } {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition))
    throw new Error(`state machine ${machineName}: the definition is not a JSON object`);
  const prepared = structuredClone(definition) as Json;
  const tasks = new Map<string, TaskTarget>();
  const refuse = (problem: string) => {
    throw new Error(
      `state machine ${machineName}: ${problem}; the local Step Functions stand-in runs JSONPath definitions whose Task states invoke Lambda functions`,
    );
  };
  const walk = (machine: Json) => {
    if (machine.QueryLanguage === 'JSONata') refuse('it uses JSONata');
    delete machine.QueryLanguage;
    for (const [stateName, state] of Object.entries((machine.States ?? {}) as Record<string, Json>)) {
      if (state.QueryLanguage === 'JSONata') refuse(`state ${stateName} uses JSONata`);
      delete state.QueryLanguage;
      // The library stores a result at `ResultPath: "$"` under a key named `$`; "$" is the default anyway.
      for (const holder of [state, ...((state.Catch ?? []) as Json[])]) if (holder.ResultPath === '$') delete holder.ResultPath;
      const rules = [state, ...((state.Choices ?? []) as Json[]), ...((state.Catch ?? []) as Json[])];
      if (rules.some((rule) => 'Assign' in rule)) refuse(`state ${stateName} uses Assign (variables)`);
      if (state.Type === 'Task') {
        const resource = String(state.Resource);
        if (/^arn:aws[a-z-]*:states:::lambda:invoke$/.test(resource)) tasks.set(stateName, { kind: 'invoke' });
        else if (/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(resource))
          tasks.set(stateName, { kind: 'function', arn: resource });
        else refuse(`Task state ${stateName} has the resource ${resource}`);
        if (typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds > MAX_TIMER_SECONDS : state.TimeoutSecondsPath === undefined) {
          state.TimeoutSeconds = MAX_TIMER_SECONDS;
        }
      }
      if (state.Type === 'Parallel') for (const branch of (state.Branches ?? []) as Json[]) walk(branch);
      if (state.Type === 'Map') walk((state.ItemProcessor ?? state.Iterator ?? {}) as Json);
    }
  };
  walk(prepared);
  if (typeof prepared.TimeoutSeconds === 'number' && prepared.TimeoutSeconds > MAX_TIMER_SECONDS) delete prepared.TimeoutSeconds;
  return { prepared: prepared as unknown as StateMachineDefinition, tasks };
}

/**
 * When a Wait state entered with `input` ends, in epoch milliseconds; null when it cannot tell (a
 * path this reader does not follow, or a value the library will refuse itself).
 */
export function waitUntil(state: Json, input: unknown): number | null {
  const effective = state.InputPath === null ? {} : typeof state.InputPath === 'string' ? readPath(state.InputPath, input) : input;
  if (effective === undefined) return null;
  const seconds =
    typeof state.Seconds === 'number'
      ? state.Seconds
      : typeof state.SecondsPath === 'string'
        ? readPath(state.SecondsPath, effective)
        : undefined;
  if (typeof seconds === 'number') return Date.now() + seconds * 1000;
  const timestamp =
    typeof state.Timestamp === 'string'
      ? state.Timestamp
      : typeof state.TimestampPath === 'string'
        ? readPath(state.TimestampPath, effective)
        : undefined;
  if (typeof timestamp !== 'string') return null;
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? null : time;
}

/** Follows a simple JSONPath (`$`, `$.a.b`, `$['a'][0]`); undefined for anything else or a missing value. */
function readPath(path: string, value: unknown): unknown {
  if (!path.startsWith('$') || path.startsWith('$$')) return undefined;
  const steps = /^(?:\.([A-Za-z_][\w-]*)|\['([^']*)'\]|\["([^"]*)"\]|\[(\d+)\])/;
  let rest = path.slice(1);
  let current = value;
  while (rest.length > 0) {
    const step = steps.exec(rest);
    if (!step || current === null || typeof current !== 'object') return undefined;
    const key = step[1] ?? step[2] ?? step[3] ?? Number(step[4]);
    current = (current as Record<string | number, unknown>)[key];
    rest = rest.slice(step[0].length);
  }
  return current;
}

/** setTimeout for any delay: chained timers of at most 2^31-1 ms each. */
export function setLongTimeout(at: number, fire: () => void): { clear(): void } {
  let handle: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = at - Date.now();
    if (left <= 0) {
      fire();
      return;
    }
    handle = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  handle = setTimeout(arm, 0);
  return { clear: () => clearTimeout(handle) };
}
