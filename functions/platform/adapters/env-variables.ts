// zod/mini: the same schemas, tree-shakable, so a function that validates nothing else with zod
// carries a few KiB of it rather than all of it.
import * as z from 'zod/mini';
import { optionalEnv, requireEnv } from './env.js';

/**
 * One environment variable between the stacks and the functions: its name, how a function turns its
 * text into a value, and how the function construct writes a value as text. The construct's `bind*`
 * and `setSetting*` methods and the functions' composition roots (`*-deps-from-env.ts`) both name a
 * variable through `ENV`, so the two sides cannot drift apart on a spelling or a format.
 */
export interface EnvVariable<T> {
  readonly name: string;
  /** The value of the variable's text; throws naming the variable when the text is not one. */
  parse(text: string): T;
  format(value: T): string;
}

/** A variable with its value as text, ready for a function's environment. */
export interface EnvEntry {
  readonly name: string;
  readonly text: string;
}

function text(name: string): EnvVariable<string> {
  return { name, parse: (value) => value, format: (value) => value };
}

function oneOf<T extends string>(name: string, values: readonly T[]): EnvVariable<T> {
  return {
    name,
    parse(value) {
      const found = values.find((allowed) => allowed === value);
      if (found === undefined) throw new Error(`environment variable ${name} must be one of ${values.join(', ')}, not ${value}`);
      return found;
    },
    format: (value) => value,
  };
}

/** A secret of at least `minChars` characters; the message on a bad one never repeats it. */
function secretText(name: string, minChars: number): EnvVariable<string> {
  return {
    name,
    parse(value) {
      if (value.length < minChars) throw new Error(`environment variable ${name} must hold at least ${minChars} characters`);
      return value;
    },
    format: (value) => value,
  };
}

function integer(name: string, min: number, max: number): EnvVariable<number> {
  return {
    name,
    parse(value) {
      const number = Number(value);
      if (!Number.isInteger(number) || number < min || number > max) {
        throw new Error(`environment variable ${name} must be a whole number from ${min} to ${max}, not ${value}`);
      }
      return number;
    },
    format: String,
  };
}

function json<S extends z.ZodMiniType>(name: string, schema: S): EnvVariable<z.output<S>> {
  return {
    name,
    parse(value) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new Error(`environment variable ${name} is not JSON`);
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        throw new Error(
          `environment variable ${name}: ${result.error.issues.map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ')}`,
        );
      }
      return result.data;
    },
    format: (value) => JSON.stringify(value),
  };
}

/** Comma-separated values (no value contains a comma). */
function list(name: string): EnvVariable<readonly string[]> {
  return {
    name,
    parse: (value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    format: (value) => value.join(','),
  };
}

/** Queue and skill names as the configuration allows them. */
export const QUEUE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** One queue of the deployment (`QueueSettings` of the cases feature). */
export const queueSettingsSchema = z.strictObject({
  name: z.string().check(z.regex(QUEUE_NAME, 'a queue name: lower-case letters, digits and -, starting with a letter, at most 40')),
  label: z.string().check(z.minLength(1), z.maxLength(100)),
  calendar: z.string().check(z.minLength(1), z.maxLength(64)),
  escalationQueue: z.nullable(z.string()),
});

const level = z.nullable(z.int().check(z.minimum(1), z.maximum(10)));

/** One routing step (`RoutingStep` of the routing feature). */
export const routingStepSchema = z.strictObject({
  afterSeconds: z.int().check(z.minimum(0), z.maximum(86_400)),
  languageMinLevel: level,
  topicMinLevel: level,
});

const routingStepList = z.array(routingStepSchema).check(z.minLength(1), z.maxLength(10));

/** Every queue's routing steps: `default`, and `byQueue` for queues that route differently. */
export const routingStepsSchema = z.strictObject({
  default: routingStepList,
  byQueue: z._default(z.record(z.string(), routingStepList), {}),
});

/** Capacity units of each channel. */
export const channelWeightsSchema = z.record(z.string(), z.int().check(z.minimum(1), z.maximum(1000)));

/** Everything the stacks tell the functions, by what it is; see each reader for its meaning. */
export const ENV = {
  casesTable: text('CASES_TABLE_NAME'),
  agentStateTable: text('AGENT_STATE_TABLE_NAME'),
  mailBucket: text('MAIL_BUCKET_NAME'),
  eventBus: text('EVENT_BUS_NAME'),
  slaStateMachine: text('SLA_STATE_MACHINE_ARN'),
  /** Set only when the deployment allows browser origins. */
  corsAllowOrigins: list('CORS_ALLOW_ORIGINS'),
  queues: json('SWITCHBOARD_QUEUES', z.array(queueSettingsSchema).check(z.minLength(1))),
  defaultQueue: text('SWITCHBOARD_DEFAULT_QUEUE'),
  /** Which cases agents see (`AgentCaseAccess` of the cases feature); unset means `queues`. */
  agentCaseAccess: oneOf('SWITCHBOARD_AGENT_CASE_ACCESS', ['queues', 'all']),
  routingSteps: json('ROUTING_STEPS', routingStepsSchema),
  channelWeights: json('ROUTING_CHANNEL_WEIGHTS', channelWeightsSchema),
  offerTimeoutSeconds: integer('ROUTING_OFFER_TIMEOUT_SECONDS', 5, 900),
  backlogRecheckSeconds: integer('ROUTING_RECHECK_SECONDS', 5, 900),
  slaTimeScale: integer('SLA_TIME_SCALE', 1, 86_400),
  mailDomain: text('MAIL_DOMAIN'),
  mailInboundAddresses: json('MAIL_INBOUND_ADDRESSES', z.record(z.string(), z.string())),
  mailDefaultQueue: text('MAIL_DEFAULT_QUEUE'),
  reopenWindowDays: integer('REOPEN_WINDOW_DAYS', 1, 365),
  maxAttachmentBytes: integer('MAX_ATTACHMENT_BYTES', 1, 40 * 1024 * 1024),
  maxAcknowledgementsPerMinute: integer('MAIL_MAX_ACKNOWLEDGEMENTS_PER_MINUTE', 1, 100_000),
  /** Set only when the deployment names one. */
  sesConfigurationSet: text('SES_CONFIGURATION_SET'),
  connectInstanceId: text('CONNECT_INSTANCE_ID'),
  connectCallbackFlowId: text('CONNECT_CALLBACK_FLOW_ID'),
  connectQueueIds: json('CONNECT_QUEUE_IDS', z.record(z.string(), z.string().check(z.minLength(1)))),
  callbackMaxAttempts: integer('CALLBACK_MAX_ATTEMPTS', 1, 10),
  callbackRetryMinutes: integer('CALLBACK_RETRY_MINUTES', 1, 1440),
  /** The queue of case merge jobs (the cases API hands jobs over, the merge worker consumes them). */
  mergeQueueUrl: text('CASE_MERGE_QUEUE_URL'),
  /** The key list cursors are signed with: a secret the API stack generates (see docs/api.md). */
  cursorSigningKey: secretText('CURSOR_SIGNING_KEY', 32),
} as const;

/** A routing queue's URL: `ROUTING_QUEUE_URL_<QUEUE>` (upper case, `-` as `_`). */
export function routingQueueUrlVariable(queue: string): EnvVariable<string> {
  return text(`ROUTING_QUEUE_URL_${queue.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`);
}

/** The variable with a value, as the function construct sets it. */
export function envEntry<T>(variable: EnvVariable<T>, value: T): EnvEntry {
  return { name: variable.name, text: variable.format(value) };
}

/** A variable the stacks always set: missing or malformed fails the cold start, naming it. */
export function readEnv<T>(variable: EnvVariable<T>): T {
  return variable.parse(requireEnv(variable.name));
}

/** A variable the stacks set only for some deployments (see its comment in `ENV`). */
export function readOptionalEnv<T>(variable: EnvVariable<T>, fallback: T): T {
  const value = optionalEnv(variable.name, '');
  return value === '' ? fallback : variable.parse(value);
}
