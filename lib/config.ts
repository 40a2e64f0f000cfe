import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import { DEFAULT_QUEUES } from '#cases';

/** Everything an environment may vary, read from CDK context (`cdk.json`, or `-c key=value`). */
export interface SwitchboardConfig {
  /** Environment name: part of stack, bus and stage names (`dev`, `prod`, ...). */
  stage: string;
  /** Browser origins allowed to call the API; empty means no CORS at all. `*` allows any. */
  corsAllowOrigins: readonly string[];
  /** Retention of function, API access and S3 server access logs. */
  logRetentionDays: RetentionDays;
  /** Days raw mail and attachments are kept before S3 expires them. */
  mailRetentionDays: number;
  /** Steady-state requests per second the API stage accepts before answering 429. */
  apiThrottleRateLimit: number;
  /** Requests the API stage accepts in a burst above the steady rate. */
  apiThrottleBurstLimit: number;
  /** Domain that receives and sends case mail; real deployments set their SES-verified domain. */
  mailDomain: string;
  /**
   * Queue of each address at the mail domain, by local part (`support` → `customers`). Mail to any
   * other address at the domain goes to the `other` queue.
   */
  inboundAddresses: Readonly<Record<string, string>>;
  /** Days after closing during which a reply reopens the case instead of opening a new one. */
  reopenWindowDays: number;
  /** Bytes of attachments kept per inbound message, all attachments together. */
  maxAttachmentBytes: number;
  /** SES configuration set that outbound mail names (bounce and complaint tracking), if any. */
  sesConfigurationSet?: string;
  /** Seconds an agent has to accept offered work before it goes to someone else. */
  offerTimeoutSeconds: number;
  /** Seconds after which a waiting item is routed again even if no capacity freed (the backlog's safety net). */
  backlogRecheckSeconds: number;
  /**
   * Divides every SLA target and escalation delay, for demos and tests (60: a business minute lasts
   * a second). 1 in every real deployment.
   */
  slaTimeScale: number;
  /**
   * The Amazon Connect instance phone agents work in. When set, the telephony stack is deployed and
   * associated with it; when not, the telephony stack is left out.
   */
  connectInstanceArn?: string;
  /** The outbound contact flow callbacks are dialled with (its id in the instance); required with an instance. */
  connectCallbackFlowId?: string;
  /** The Connect queue each Switchboard queue's callbacks are dialled into; required (every queue) with an instance. */
  connectQueueIds?: Readonly<Record<string, string>>;
  /** Attempts to call a missed caller back before the callback fails. */
  callbackMaxAttempts: number;
  /** Minutes between two attempts of a callback. */
  callbackRetryMinutes: number;
}

/** Context keys, so tests and tools can override a setting without repeating the spelling. */
export const CONTEXT_KEYS = {
  stage: 'switchboard:stage',
  corsAllowOrigins: 'switchboard:corsAllowOrigins',
  logRetentionDays: 'switchboard:logRetentionDays',
  mailRetentionDays: 'switchboard:mailRetentionDays',
  apiThrottleRateLimit: 'switchboard:apiThrottleRateLimit',
  apiThrottleBurstLimit: 'switchboard:apiThrottleBurstLimit',
  mailDomain: 'switchboard:mailDomain',
  inboundAddresses: 'switchboard:inboundAddresses',
  reopenWindowDays: 'switchboard:reopenWindowDays',
  maxAttachmentBytes: 'switchboard:maxAttachmentBytes',
  sesConfigurationSet: 'switchboard:sesConfigurationSet',
  offerTimeoutSeconds: 'switchboard:offerTimeoutSeconds',
  backlogRecheckSeconds: 'switchboard:backlogRecheckSeconds',
  slaTimeScale: 'switchboard:slaTimeScale',
  connectInstanceArn: 'switchboard:connectInstanceArn',
  connectCallbackFlowId: 'switchboard:connectCallbackFlowId',
  connectQueueIds: 'switchboard:connectQueueIds',
  callbackMaxAttempts: 'switchboard:callbackMaxAttempts',
  callbackRetryMinutes: 'switchboard:callbackRetryMinutes',
} as const satisfies Record<keyof SwitchboardConfig, string>;

const RETENTION_DAYS = new Set<number>(Object.values(RetentionDays).filter((value): value is number => typeof value === 'number'));

/** Raw mail moves to infrequent access after this many days; expiry must come later (S3 rejects otherwise). */
export const MAIL_INFREQUENT_ACCESS_AFTER_DAYS = 30;

/** `-c key=value` on the command line arrives as a string, cdk.json as JSON: accept both. */
const integer = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int());

const origin = z.string().refine((value) => value === '*' || /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(value), {
  message: 'an origin is `*` or scheme://host[:port] with no path or trailing slash',
});

const origins = z
  .union([
    z.array(z.string()),
    z.string().transform((value, ctx) => {
      const text = value.trim();
      if (!text.startsWith('['))
        return text
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a JSON array of origins' });
        return z.NEVER;
      }
    }),
  ])
  .pipe(z.array(origin));

/** SES accepts inbound messages up to 40 MiB, headers and encoding included. */
export const SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

const QUEUE_NAMES = DEFAULT_QUEUES.map((queue) => queue.name);

/** A lower-case DNS name with at least two labels, as SES verifies it (no trailing dot). */
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, 'a domain name such as support.example.com');

/** Local parts as people type them in an address; matched lower-cased by the intake function. */
const localPart = z.string().regex(/^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/, 'a lower-case local part of letters, digits and . _ + -');

/** A JSON object given as such (cdk.json) or as text (`-c key='{…}'`). */
function jsonRecord(what: string) {
  return z.union([
    z.record(z.string(), z.unknown()),
    z.string().transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `not ${what}` });
        return z.NEVER;
      }
    }),
  ]);
}

const inboundAddresses = z
  .union([
    z.record(z.string(), z.string()),
    z.string().transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a JSON object of local part to queue' });
        return z.NEVER;
      }
    }),
  ])
  .pipe(z.record(localPart, z.enum(QUEUE_NAMES as [string, ...string[]])))
  .refine((addresses) => Object.keys(addresses).length > 0, { message: 'name at least one address' });

const schema = z
  .object({
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,15}$/, 'lower-case letters, digits and -, starting with a letter, at most 16 characters')
      .default('dev'),
    corsAllowOrigins: origins.default([]),
    logRetentionDays: integer
      .refine((days) => RETENTION_DAYS.has(days), { message: `one of ${[...RETENTION_DAYS].join(', ')}` })
      .default(30),
    mailRetentionDays: integer
      .refine((days) => days > MAIL_INFREQUENT_ACCESS_AFTER_DAYS, {
        message: `more than ${MAIL_INFREQUENT_ACCESS_AFTER_DAYS} (mail moves to infrequent access at day ${MAIL_INFREQUENT_ACCESS_AFTER_DAYS})`,
      })
      .default(365),
    apiThrottleRateLimit: integer.pipe(z.number().min(1).max(10_000)).default(100),
    apiThrottleBurstLimit: integer.pipe(z.number().min(1).max(5_000)).default(200),
    mailDomain: domain.default('switchboard.local'),
    inboundAddresses: inboundAddresses.default({ support: 'customers', stores: 'stores', partners: 'marketplace' }),
    reopenWindowDays: integer.pipe(z.number().min(1).max(365)).default(7),
    maxAttachmentBytes: integer.pipe(z.number().min(1).max(SES_MAX_MESSAGE_BYTES)).default(25 * 1024 * 1024),
    // SES names: letters, digits, _ and -, at most 64 characters.
    sesConfigurationSet: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an SES configuration set name: letters, digits, _ and -, at most 64 characters')
      .optional(),
    // SQS delays a message by at most 900 s: offer timeouts and rechecks are delayed messages.
    offerTimeoutSeconds: integer.pipe(z.number().min(5).max(900)).default(30),
    backlogRecheckSeconds: integer.pipe(z.number().min(5).max(900)).default(60),
    slaTimeScale: integer.pipe(z.number().min(1).max(86_400)).default(1),
    connectInstanceArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/,
        'an Amazon Connect instance ARN: arn:aws:connect:<region>:<account>:instance/<id>',
      )
      .optional(),
    connectCallbackFlowId: z
      .string()
      .regex(/^[0-9a-zA-Z-]{1,100}$/, 'a contact flow id')
      .optional(),
    connectQueueIds: jsonRecord('a JSON object of queue to Connect queue id')
      .pipe(z.record(z.enum(QUEUE_NAMES as [string, ...string[]]), z.string().regex(/^[0-9a-zA-Z-]{1,100}$/, 'a Connect queue id')))
      .optional(),
    callbackMaxAttempts: integer.pipe(z.number().min(1).max(10)).default(3),
    callbackRetryMinutes: integer.pipe(z.number().min(1).max(1440)).default(15),
  })
  .refine((config) => config.apiThrottleBurstLimit >= config.apiThrottleRateLimit, {
    message: 'the burst limit must be at least the rate limit',
    path: ['apiThrottleBurstLimit'],
  })
  .refine((config) => !config.connectInstanceArn || config.connectCallbackFlowId !== undefined, {
    message: 'with a Connect instance, name the outbound contact flow callbacks are dialled with',
    path: ['connectCallbackFlowId'],
  })
  .refine((config) => !config.connectInstanceArn || QUEUE_NAMES.every((queue) => config.connectQueueIds?.[queue] !== undefined), {
    message: `with a Connect instance, give the Connect queue id of every queue (${QUEUE_NAMES.join(', ')})`,
    path: ['connectQueueIds'],
  });

/**
 * Reads and validates the configuration from the context of `node` (normally the App). Fails with
 * every invalid key named, so a typo in cdk.json or `-c` stops synthesis instead of deploying defaults.
 */
export function readConfig(node: Node): SwitchboardConfig {
  const raw = Object.fromEntries(Object.entries(CONTEXT_KEYS).map(([field, key]) => [field, node.tryGetContext(key) ?? undefined]));
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path[0] as keyof SwitchboardConfig | undefined;
      return `${field ? CONTEXT_KEYS[field] : 'switchboard config'}: ${issue.message}`;
    });
    throw new Error(`invalid Switchboard configuration:\n  ${problems.join('\n  ')}`);
  }
  return { ...result.data, logRetentionDays: result.data.logRetentionDays as RetentionDays };
}
