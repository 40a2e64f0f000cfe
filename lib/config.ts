import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import { CHANNELS, type Channel, PRIORITIES, type QueueSettings } from '#cases';
import { TIERS } from '#customers';
import { channelWeightsSchema, QUEUE_NAME, queueSettingsSchema, routingStepsSchema } from '#platform/adapters/env-variables';
import type { RoutingStep } from '#routing';
import { type BusinessCalendar, calendarIssues, policyIssues, type SlaPolicy, WEEKDAYS } from '#sla';
import { DEMO_CALENDARS } from './demo/calendars.js';
import {
  DEMO_CHANNEL_WEIGHTS,
  DEMO_DEFAULT_QUEUE,
  DEMO_INBOUND_ADDRESSES,
  DEMO_MAIL_DEFAULT_QUEUE,
  DEMO_QUEUES,
  DEMO_ROUTING_STEPS,
  DEMO_SLA_POLICIES,
} from './demo/scenario.js';

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
  /** Queue of each address at the mail domain, by local part (`support` → `customers`). */
  inboundAddresses: Readonly<Record<string, string>>;
  /** Queue of mail to any other address at the mail domain. */
  mailDefaultQueue: string;
  /** The queues cases are worked in: one SQS routing queue each, and the list every function knows. */
  queues: readonly QueueSettings[];
  /** Queue of a case whose creator names none (API, phone). */
  defaultQueue: string;
  /** Which cases agents see: `queues` (those of the queues they serve and those assigned to them) or `all`. */
  agentCaseAccess: 'queues' | 'all';
  /** Routing steps: `default` for every queue, `byQueue` for queues that route differently. */
  routingSteps: { default: readonly RoutingStep[]; byQueue: Readonly<Record<string, readonly RoutingStep[]>> };
  /** Capacity units a work item of each channel takes from an agent's budget. */
  channelWeights: Readonly<Record<Channel, number>>;
  /** Default SLA policies; admins' stored edits of the same name replace them. */
  slaPolicies: readonly SlaPolicy[];
  /** Default business-hours calendars (besides the built-in `24x7`); admins' stored edits replace them. */
  slaCalendars: readonly BusinessCalendar[];
  /** Days after closing during which a reply reopens the case instead of opening a new one. */
  reopenWindowDays: number;
  /** Bytes of attachments kept per inbound message, all attachments together. */
  maxAttachmentBytes: number;
  /** SES configuration set that outbound mail names (bounce and complaint tracking), if any. */
  sesConfigurationSet?: string;
  /** Acknowledgements of new cases the deployment sends in one minute, all senders together. */
  maxAcknowledgementsPerMinute: number;
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
  /** Staff sign-in: `required` (TOTP for every user, the default) or `optional` (each user may enroll). */
  mfa: 'required' | 'optional';
  /** An address subscribed to the alarm topic, which every alarm notifies; none when unset. */
  alarmEmail?: string;
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
  mailDefaultQueue: 'switchboard:mailDefaultQueue',
  queues: 'switchboard:queues',
  defaultQueue: 'switchboard:defaultQueue',
  agentCaseAccess: 'switchboard:agentCaseAccess',
  routingSteps: 'switchboard:routingSteps',
  channelWeights: 'switchboard:channelWeights',
  slaPolicies: 'switchboard:slaPolicies',
  slaCalendars: 'switchboard:slaCalendars',
  reopenWindowDays: 'switchboard:reopenWindowDays',
  maxAttachmentBytes: 'switchboard:maxAttachmentBytes',
  sesConfigurationSet: 'switchboard:sesConfigurationSet',
  maxAcknowledgementsPerMinute: 'switchboard:maxAcknowledgementsPerMinute',
  offerTimeoutSeconds: 'switchboard:offerTimeoutSeconds',
  backlogRecheckSeconds: 'switchboard:backlogRecheckSeconds',
  slaTimeScale: 'switchboard:slaTimeScale',
  connectInstanceArn: 'switchboard:connectInstanceArn',
  connectCallbackFlowId: 'switchboard:connectCallbackFlowId',
  connectQueueIds: 'switchboard:connectQueueIds',
  callbackMaxAttempts: 'switchboard:callbackMaxAttempts',
  callbackRetryMinutes: 'switchboard:callbackRetryMinutes',
  mfa: 'switchboard:mfa',
  alarmEmail: 'switchboard:alarmEmail',
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

/** A lower-case DNS name with at least two labels, as SES verifies it (no trailing dot). */
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, 'a domain name such as support.example.com');

/** Local parts as people type them in an address; matched lower-cased by the intake function. */
const localPart = z.string().regex(/^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/, 'a lower-case local part of letters, digits and . _ + -');

/** JSON given as such (cdk.json) or as text (`-c key='…'`). */
function jsonValue(what: string) {
  return z.unknown().transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `not ${what}` });
      return z.NEVER;
    }
  });
}

const inboundAddresses = jsonValue('a JSON object of local part to queue')
  .pipe(z.record(localPart, z.string()))
  .refine((addresses) => Object.keys(addresses).length > 0, { message: 'name at least one address' });

const queueName = z.string().regex(QUEUE_NAME, 'a queue name: lower-case letters, digits and -, starting with a letter, at most 40');

const queues = jsonValue('a JSON array of queues')
  .pipe(z.array(queueSettingsSchema).min(1, 'name at least one queue').max(50))
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((queue, index) => {
      if (seen.has(queue.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `queue ${queue.name} is listed twice` });
      seen.add(queue.name);
    });
  });

const channelWeights = jsonValue('a JSON object of channel to weight')
  .pipe(channelWeightsSchema)
  .superRefine((weights, ctx) => {
    for (const channel of CHANNELS)
      if (weights[channel] === undefined)
        ctx.addIssue({ code: 'custom', message: `give the weight of every channel: ${channel} is missing` });
    for (const name of Object.keys(weights))
      if (!(CHANNELS as readonly string[]).includes(name))
        ctx.addIssue({ code: 'custom', message: `${name} is not a channel (${CHANNELS.join(', ')})` });
  })
  .transform((weights) => weights as Record<Channel, number>);

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _ (at most 64)');
const slaMinutes = z.number().int().min(1).max(525_600).nullable();

/** An SLA policy as `PUT /sla/policies/{name}` stores it. */
const slaPolicy = z
  .object({
    name: slug,
    description: z.string().max(500).default(''),
    rank: z.number().int().min(0).max(1_000_000),
    enabled: z.boolean().default(true),
    match: z
      .object({
        priorities: z.array(z.enum(PRIORITIES)).optional(),
        categories: z.array(slug).optional(),
        channels: z.array(z.enum(CHANNELS)).optional(),
        queues: z.array(z.string()).optional(),
        tiers: z.array(z.enum(TIERS)).optional(),
      })
      .strict()
      .default({}),
    targets: z.object({ firstResponseMinutes: slaMinutes, nextResponseMinutes: slaMinutes, resolutionMinutes: slaMinutes }).strict(),
    warningPercent: z.number().int().min(1).max(99).default(80),
    pauseOnHold: z.boolean().default(false),
    calendar: slug.nullable().default(null),
    secondLevelAfterMinutes: slaMinutes.default(null),
  })
  .strict();

const openingPeriod = z.object({ start: z.string(), end: z.string() }).strict();

/** A business-hours calendar as `PUT /sla/calendars/{name}` stores it. */
const slaCalendar = z
  .object({
    name: slug.refine((name) => name !== '24x7', { message: '24x7 is built in' }),
    description: z.string().max(500).default(''),
    timeZone: z.string().min(1).max(64),
    weekly: z.object(Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(openingPeriod).max(12).default([])]))).strict(),
    holidays: z
      .array(z.object({ date: z.string(), name: z.string().max(200).default('') }).strict())
      .max(400)
      .default([]),
  })
  .strict()
  .transform((calendar) => calendar as BusinessCalendar);

/** Names must be unique in a list of named documents. */
function uniqueNames<T extends { name: string }>(list: readonly T[], ctx: z.RefinementCtx, what: string): void {
  const seen = new Set<string>();
  list.forEach((item, index) => {
    if (seen.has(item.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `${what} ${item.name} is listed twice` });
    seen.add(item.name);
  });
}

const baseSchema = z.object({
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,15}$/, 'lower-case letters, digits and -, starting with a letter, at most 16 characters')
    .default('dev'),
  corsAllowOrigins: origins.default([]),
  logRetentionDays: integer.refine((days) => RETENTION_DAYS.has(days), { message: `one of ${[...RETENTION_DAYS].join(', ')}` }).default(30),
  mailRetentionDays: integer
    .refine((days) => days > MAIL_INFREQUENT_ACCESS_AFTER_DAYS, {
      message: `more than ${MAIL_INFREQUENT_ACCESS_AFTER_DAYS} (mail moves to infrequent access at day ${MAIL_INFREQUENT_ACCESS_AFTER_DAYS})`,
    })
    .default(365),
  apiThrottleRateLimit: integer.pipe(z.number().min(1).max(10_000)).default(100),
  apiThrottleBurstLimit: integer.pipe(z.number().min(1).max(5_000)).default(200),
  mailDomain: domain.default('switchboard.local'),
  inboundAddresses: inboundAddresses.default(DEMO_INBOUND_ADDRESSES),
  mailDefaultQueue: queueName.default(DEMO_MAIL_DEFAULT_QUEUE),
  queues: queues.default([...DEMO_QUEUES]),
  defaultQueue: queueName.default(DEMO_DEFAULT_QUEUE),
  agentCaseAccess: z.enum(['queues', 'all']).default('queues'),
  routingSteps: jsonValue('a JSON object of routing steps')
    .pipe(routingStepsSchema)
    .default(structuredClone(DEMO_ROUTING_STEPS) as never),
  channelWeights: channelWeights.default({ ...DEMO_CHANNEL_WEIGHTS }),
  slaPolicies: jsonValue('a JSON array of SLA policies')
    .pipe(z.array(slaPolicy).max(200))
    .superRefine((list, ctx) => uniqueNames(list, ctx, 'policy'))
    .default(structuredClone([...DEMO_SLA_POLICIES]) as never),
  slaCalendars: jsonValue('a JSON array of calendars')
    .pipe(z.array(slaCalendar).max(50))
    .superRefine((list, ctx) => uniqueNames(list, ctx, 'calendar'))
    .default(structuredClone([...DEMO_CALENDARS]) as never),
  reopenWindowDays: integer.pipe(z.number().min(1).max(365)).default(7),
  maxAttachmentBytes: integer.pipe(z.number().min(1).max(SES_MAX_MESSAGE_BYTES)).default(25 * 1024 * 1024),
  // SES names: letters, digits, _ and -, at most 64 characters.
  sesConfigurationSet: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an SES configuration set name: letters, digits, _ and -, at most 64 characters')
    .optional(),
  maxAcknowledgementsPerMinute: integer.pipe(z.number().min(1).max(100_000)).default(60),
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
  connectQueueIds: jsonValue('a JSON object of queue to Connect queue id')
    .pipe(z.record(z.string(), z.string().regex(/^[0-9a-zA-Z-]{1,100}$/, 'a Connect queue id')))
    .optional(),
  callbackMaxAttempts: integer.pipe(z.number().min(1).max(10)).default(3),
  callbackRetryMinutes: integer.pipe(z.number().min(1).max(1440)).default(15),
  mfa: z.enum(['required', 'optional']).default('required'),
  alarmEmail: z.email('an email address').optional(),
});

const schema = baseSchema
  .refine((config) => config.apiThrottleBurstLimit >= config.apiThrottleRateLimit, {
    message: 'the burst limit must be at least the rate limit',
    path: ['apiThrottleBurstLimit'],
  })
  .refine((config) => !config.connectInstanceArn || config.connectCallbackFlowId !== undefined, {
    message: 'with a Connect instance, name the outbound contact flow callbacks are dialled with',
    path: ['connectCallbackFlowId'],
  })
  .superRefine((config, ctx) => {
    const missing = config.queues.filter((queue) => config.connectQueueIds?.[queue.name] === undefined).map((queue) => queue.name);
    if (config.connectInstanceArn && missing.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['connectQueueIds'],
        message: `with a Connect instance, give the Connect queue id of every queue (missing: ${missing.join(', ')})`,
      });
  })
  .superRefine(crossReferences);

type ParsedConfig = z.output<typeof baseSchema>;

/**
 * Every queue and calendar a setting names must exist: a typo would otherwise deploy a queue nobody
 * routes to, or clocks on a calendar that is not there.
 */
function crossReferences(config: ParsedConfig, ctx: z.RefinementCtx): void {
  const queueNames = config.queues.map((queue) => queue.name);
  const calendarNames = ['24x7', ...config.slaCalendars.map((calendar) => calendar.name)];
  const known = `(queues: ${queueNames.join(', ')})`;
  const needQueue = (name: string | null, path: (string | number)[]) => {
    if (name !== null && !queueNames.includes(name)) ctx.addIssue({ code: 'custom', path, message: `no queue named ${name} ${known}` });
  };
  config.queues.forEach((queue, index) => {
    needQueue(queue.escalationQueue, ['queues', index, 'escalationQueue']);
    if (!calendarNames.includes(queue.calendar))
      ctx.addIssue({
        code: 'custom',
        path: ['queues', index, 'calendar'],
        message: `no calendar named ${queue.calendar} (calendars: ${calendarNames.join(', ')})`,
      });
  });
  needQueue(config.defaultQueue, ['defaultQueue']);
  needQueue(config.mailDefaultQueue, ['mailDefaultQueue']);
  for (const [localPart, queue] of Object.entries(config.inboundAddresses)) needQueue(queue, ['inboundAddresses', localPart]);
  for (const queue of Object.keys(config.routingSteps.byQueue)) needQueue(queue, ['routingSteps', 'byQueue', queue]);
  for (const queue of Object.keys(config.connectQueueIds ?? {})) needQueue(queue, ['connectQueueIds', queue]);
  config.slaPolicies.forEach((policy, index) => {
    for (const issue of policyIssues(policy, { calendars: calendarNames, queues: queueNames }))
      ctx.addIssue({ code: 'custom', path: ['slaPolicies', index, issue.path], message: issue.message });
  });
  config.slaCalendars.forEach((calendar, index) => {
    for (const issue of calendarIssues(calendar))
      ctx.addIssue({ code: 'custom', path: ['slaCalendars', index, issue.path], message: issue.message });
  });
}

/**
 * Reads and validates the configuration from the context of `node` (normally the App). Fails with
 * every invalid key named, so a typo in cdk.json or `-c` stops synthesis instead of deploying defaults.
 */
export function readConfig(node: Node): SwitchboardConfig {
  const raw = Object.fromEntries(Object.entries(CONTEXT_KEYS).map(([field, key]) => [field, node.tryGetContext(key) ?? undefined]));
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const [field, ...rest] = issue.path as [keyof SwitchboardConfig | undefined, ...PropertyKey[]];
      const where = rest.length > 0 ? ` ${rest.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.')}` : '';
      return `${field ? CONTEXT_KEYS[field] : 'switchboard config'}${where}: ${issue.message}`;
    });
    throw new Error(`invalid Switchboard configuration:\n  ${problems.join('\n  ')}`);
  }
  return { ...result.data, logRetentionDays: result.data.logRetentionDays as RetentionDays };
}
