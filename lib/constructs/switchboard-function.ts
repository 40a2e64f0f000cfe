import { isAbsolute, join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Grant, type IRole, type Policy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, FilterCriteria, type IFunction, Runtime, StartingPosition, Tracing } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { NodejsFunction, type OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../repo-root.js';
import { ENV, type EnvEntry, type EnvVariable, envEntry } from '#platform/adapters/env-variables';
import { esbuildOptions } from './bundling.js';
import type { IIndexedTable } from './designed-table.js';

export interface SwitchboardFunctionProps {
  /** Entry file relative to the repository root, with forward slashes, e.g. `functions/cases/api/handler.ts`. */
  entry: string;
  description?: string;
  /** Retention of the function's own log group. */
  logRetention: RetentionDays;
  /** Megabytes; CPU share grows with memory, and 1024 MB keeps cold starts of a bundled SDK short. */
  memorySize?: number;
  /** Upper bound of one invocation. API functions stay well below API Gateway's 29 s integration timeout. */
  timeout?: Duration;
}

/**
 * What a function may do with a bucket's objects, by key prefix: each prefix ends in `/`, and `''`
 * stands for the whole bucket.
 */
export interface BucketKeyAccess {
  /** Prefixes whose objects the function may read. */
  read: readonly string[];
  /** Prefixes under which the function may create, overwrite and delete objects. */
  write?: readonly string[];
}

export interface TableStreamTriggerOptions {
  /** Lambda event filter patterns: only matching stream records invoke the function (and cost nothing otherwise). */
  filters: Record<string, unknown>[];
  /** Records per invocation. */
  batchSize: number;
  /** Where records go that still fail after the retries, so a poison record cannot block its shard. */
  onFailure: IQueue;
}

export interface QueueTriggerOptions {
  /** Messages per invocation. */
  batchSize: number;
  /** Concurrent invocations this queue may cause (at least 2), so a burst on it cannot take the account's whole concurrency. */
  maxConcurrency: number;
}

export interface AsyncTriggerOptions {
  /**
   * Where an event goes that EventBridge could not hand to Lambda, or whose invocations all failed
   * or outlived `maxEventAge` (a queue with an alarm). Both paths end here, so none is discarded.
   */
  onFailure: IQueue;
  /** Attempts after the first, by EventBridge; Lambda's own retries are this but at most 2. */
  retryAttempts: number;
  /** How long an event may wait for an invocation that succeeds (Lambda's own at most 6 h). */
  maxEventAge: Duration;
}

/** Lambda's limits for its own asynchronous retries (EventBridge allows up to 185 attempts and 24 h). */
const LAMBDA_MAX_ASYNC_RETRIES = 2;
const LAMBDA_MAX_EVENT_AGE = Duration.hours(6);

/** Template metadata keys the local runtime reads to find a function's source. */
export const FUNCTION_METADATA = { entry: 'switchboard:entry', handler: 'switchboard:handler' } as const;

/** Item reads; ConditionCheckItem is the read half of a transaction. No stream or control-plane actions. */
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'];
/** Item writes; TransactWriteItems is authorized through these per item. */
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** Object reads. GetObject also covers HeadObject. */
const OBJECT_READ_ACTIONS = ['s3:GetObject'];
/** Object writes; PutObject also covers the create, upload-part and complete steps of a multipart upload. */
const OBJECT_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];

/** SES v2 SendEmail checks `ses:SendEmail` for simple and templated content and `ses:SendRawEmail` for raw MIME. */
const SEND_EMAIL_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'];

/** The exported name every entry file provides. */
const HANDLER_EXPORT = 'handler';

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Settings every function gets, independent of what it is bound to. */
const FIXED_ENVIRONMENT = {
  // Stack traces in the logs point at the TypeScript source through the bundle's .map file.
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'switchboard',
} as const;

/**
 * The one way Switchboard defines a Lambda function: Node.js on arm64, bundled locally by esbuild as
 * ESM with the shared settings of `bundling.ts`, traced by X-Ray, logging to its own log group with a
 * set retention, and running under its own role that starts with no permissions but writing its logs.
 *
 * Access is given only through the `bind*` methods, which set the environment variable the handler
 * reads and grant the matching least-privilege access together, so a function can never know a
 * resource's name without being allowed to use it, nor be allowed to use one it cannot name.
 */
export class SwitchboardFunction extends Construct {
  readonly function: IFunction;
  readonly role: IRole;
  readonly logGroup: LogGroup;
  /** The entry file, relative to the repository root. */
  readonly entry: string;
  private readonly resource: NodejsFunction;
  /** Every variable set so far, with its text. */
  private readonly boundNames = new Map<string, string>();
  /** Object-key wildcards granted by `bindBucket`, acknowledged for cdk-nag once references are resolved. */
  private readonly objectKeyGrants: { bucket: IBucket; envName: string; prefix: string }[] = [];
  /** Whether the check behind the stream trigger's `Resource "*"` acknowledgement is registered. */
  private streamWildcardChecked = false;

  constructor(scope: Construct, id: string, props: SwitchboardFunctionProps) {
    super(scope, id);
    if (isAbsolute(props.entry) || props.entry.includes('\\')) {
      throw new Error(`${this.node.path}: entry must be relative to the repository root with forward slashes, got ${props.entry}`);
    }
    this.entry = props.entry;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      // Logs are operational data, not records: they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An own role instead of the default one with AWSLambdaBasicExecutionRole: that managed policy
    // allows writing to every log group in the account, this one only to the function's own.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);
    this.role = role;

    this.resource = new NodejsFunction(this, 'Resource', {
      entry: join(REPO_ROOT, props.entry),
      handler: HANDLER_EXPORT,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      // cdk-nag AwsSolutions-L1 asks for the newest Node.js runtime CDK knows; the bundles target node22 so they also run there.
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role,
      description: props.description,
      environment: { ...FIXED_ENVIRONMENT },
      bundling: nodejsBundling(),
    });
    this.function = this.resource;

    // Active tracing adds its policy as a child of the function, not of the role.
    Validations.of(this.resource).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active tracing needs Resource "*".',
    });

    const cfn = this.resource.node.defaultChild as CfnFunction;
    cfn.addMetadata(FUNCTION_METADATA.entry, props.entry);
    cfn.addMetadata(FUNCTION_METADATA.handler, HANDLER_EXPORT);

    // cdk-nag names a wildcard finding after the resource as the template will hold it, and for a
    // bucket of another stack that is an import whose export name CDK chooses only when it resolves
    // cross-stack references during synthesis. Construct validations run after that resolution and
    // before validation plugins such as cdk-nag, so the acknowledgements are written then.
    this.node.addValidation({ validate: () => this.acknowledgeObjectKeyWildcards() });
  }

  /**
   * Lets the function read, or read and write, the table's items and query its indexes. Each index
   * is granted by name (`<table arn>/index/GSI1`, ...) rather than `index/*`, so the policy holds no
   * wildcard and a new index reaches only functions synthesized after it exists in the design.
   */
  bindTable(table: IIndexedTable, variable: EnvVariable<string>, access: 'read' | 'readWrite'): this {
    this.setEnvironment(envEntry(variable, table.tableName));
    Grant.addToPrincipal({
      grantee: this.role,
      actions: access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
      resourceArns: [table.tableArn, ...table.indexNames.map((index) => `${table.tableArn}/index/${index}`)],
    });
    return this;
  }

  /**
   * Lets the function read objects of the bucket, or also write and delete them: in the whole bucket
   * (`read`, `readWrite`, which also allow listing the keys), or only under the given key prefixes.
   * Actions are named one by one (no `s3:Get*`); no bucket-level action but listing is granted.
   * Without listing, reading a key that does not exist fails with AccessDenied, not NoSuchKey.
   */
  bindBucket(bucket: IBucket, variable: EnvVariable<string>, access: 'read' | 'readWrite' | BucketKeyAccess): this {
    this.setEnvironment(envEntry(variable, bucket.bucketName));
    const envName = variable.name;
    const keys: BucketKeyAccess = access === 'read' ? { read: [''] } : access === 'readWrite' ? { read: [''], write: [''] } : access;
    for (const prefix of [...keys.read, ...(keys.write ?? [])]) {
      if (prefix !== '' && !/^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*\/$/.test(prefix)) {
        throw new Error(`${this.node.path}: a key prefix is '' or ends in / with no wildcard, got ${JSON.stringify(prefix)}`);
      }
    }
    const objectArns = (prefixes: readonly string[]) => prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    if (keys.read.length > 0) {
      Grant.addToPrincipal({ grantee: this.role, actions: OBJECT_READ_ACTIONS, resourceArns: objectArns(keys.read) });
    }
    if (keys.write && keys.write.length > 0) {
      Grant.addToPrincipal({ grantee: this.role, actions: OBJECT_WRITE_ACTIONS, resourceArns: objectArns(keys.write) });
    }
    if (keys.read.includes('')) {
      Grant.addToPrincipal({ grantee: this.role, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
    }
    for (const prefix of new Set([...keys.read, ...(keys.write ?? [])])) this.objectKeyGrants.push({ bucket, envName, prefix });
    return this;
  }

  /** Lets the function put events on the bus, and nothing else. */
  bindEventBus(bus: IEventBus, variable: EnvVariable<string>): this {
    this.setEnvironment(envEntry(variable, bus.eventBusName));
    bus.grantPutEventsTo(this.function);
    return this;
  }

  /**
   * Lets the function start executions of the state machine and stop them (its timers), and
   * nothing else. Stopping takes execution ARNs, which exist only once an execution starts, so
   * that grant names the state machine's executions by a wildcard, acknowledged here.
   */
  bindStateMachine(stateMachine: StateMachine, variable: EnvVariable<string>, stateMachineName: string): this {
    this.setEnvironment(envEntry(variable, stateMachine.stateMachineArn));
    stateMachine.grantStartExecution(this.function);
    const stack = Stack.of(this);
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    Grant.addToPrincipal({ grantee: this.role, actions: ['states:StopExecution'], resourceArns: [executions] });
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(stack.resolve(executions))}]`,
      reason: `states:StopExecution takes execution ARNs, which exist only once an execution starts: the wildcard stands for the executions of the one state machine ${stateMachineName} in ${variable.name}, and StopExecution is the only action on it.`,
    });
    return this;
  }

  /** Lets the function send to the queue, or receive and delete its messages. */
  bindQueue(queue: IQueue, variable: EnvVariable<string>, access: 'send' | 'consume'): this {
    this.setEnvironment(envEntry(variable, queue.queueUrl));
    if (access === 'send') queue.grantSendMessages(this.function);
    else queue.grantConsumeMessages(this.function);
    return this;
  }

  /**
   * Lets the function send mail as any address of the SES domain identity, setting `MAIL_DOMAIN`. With
   * a configuration set (bounce and complaint tracking), also `SES_CONFIGURATION_SET`: SES checks
   * the sender's permission on the configuration set a message names as well as on the identity.
   */
  bindEmailSender(domain: string, configurationSet?: string): this {
    this.setEnvironment(envEntry(ENV.mailDomain, domain));
    const stack = Stack.of(this);
    const resourceArns = [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain })];
    if (configurationSet !== undefined) {
      this.setEnvironment(envEntry(ENV.sesConfigurationSet, configurationSet));
      resourceArns.push(stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet }));
    }
    Grant.addToPrincipal({ grantee: this.role, actions: SEND_EMAIL_ACTIONS, resourceArns });
    return this;
  }

  /**
   * Invokes the function with batches of the queue's messages and lets it receive, delete and
   * return them. Partial batch responses are always on: the handler returns `batchItemFailures`, so
   * only the failed messages of a batch come back, and a poison message reaches the dead-letter queue
   * alone. The queue's visibility timeout must be at least six times the function's timeout.
   */
  addQueueTrigger(queue: IQueue, options: QueueTriggerOptions): this {
    this.resource.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    return this;
  }

  /**
   * Invokes the function with the table's stream records that match the filters. Partial batch
   * responses and bisection on error retry only what failed; after the retries a record's
   * description goes to `onFailure` (a queue with an alarm) and the shard moves on.
   */
  addTableStreamTrigger(table: IIndexedTable, options: TableStreamTriggerOptions): this {
    this.resource.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: options.batchSize,
        filters: options.filters.map((pattern) => FilterCriteria.filter(pattern)),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        onFailure: new SqsDlq(options.onFailure),
      }),
    );
    // The event source grants stream reads on this table's stream ARN alone, plus
    // dynamodb:ListStreams, which takes no resource ARN and so stands on Resource "*".
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams supports no resource-level permissions, and the Lambda event source mapping needs it to find the stream; it returns stream ARNs only. DescribeStream, GetRecords and GetShardIterator are granted on the one table stream ARN, and a synthesis check fails if any other action in this policy is on "*".',
    });
    if (!this.streamWildcardChecked) {
      this.streamWildcardChecked = true;
      this.node.addValidation({ validate: () => this.onlyListStreamsOnAnyResource() });
    }
    return this;
  }

  /**
   * Invokes the function with a Kinesis data stream's records (Amazon Connect's agent event stream),
   * from the latest on: events older than the deployment describe calls long over. Failures are
   * reported per record and retried like a table stream's, then described in `onFailure`.
   */
  addKinesisTrigger(stream: IStream, options: { batchSize: number; onFailure: IQueue }): this {
    this.resource.addEventSource(
      new KinesisEventSource(stream, {
        startingPosition: StartingPosition.LATEST,
        batchSize: options.batchSize,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        onFailure: new SqsDlq(options.onFailure),
      }),
    );
    return this;
  }

  /**
   * Makes the function a target of an EventBridge rule or schedule. EventBridge invokes Lambda
   * asynchronously: its own retries and dead-letter queue cover only the hand-over, after which
   * Lambda retries a throwing function and then, by default, drops the event. So the function also
   * gets an asynchronous invocation config with the same retries, maximum age and the failure queue
   * as on-failure destination: an event whose handler keeps throwing ends in the queue, not nowhere.
   */
  addEventRuleTrigger(rule: Rule, options: AsyncTriggerOptions): this {
    rule.addTarget(
      new LambdaFunction(this.function, {
        deadLetterQueue: options.onFailure,
        retryAttempts: options.retryAttempts,
        maxEventAge: options.maxEventAge,
      }),
    );
    this.resource.configureAsyncInvoke({
      onFailure: new SqsDestination(options.onFailure),
      retryAttempts: Math.min(options.retryAttempts, LAMBDA_MAX_ASYNC_RETRIES),
      maxEventAge: Duration.seconds(Math.min(options.maxEventAge.toSeconds(), LAMBDA_MAX_EVENT_AGE.toSeconds())),
    });
    return this;
  }

  /** A setting that names no AWS resource and so needs no grant (e.g. allowed CORS origins). */
  setSetting<T>(variable: EnvVariable<T>, value: T): this {
    this.setEnvironment(envEntry(variable, value));
    return this;
  }

  /**
   * Settings made by `envEntry` (a feature's settings from the configuration). Two features may
   * need the same setting (the queues): setting it again to the same text is allowed.
   */
  setSettings(entries: readonly EnvEntry[]): this {
    for (const entry of entries) this.setEnvironment(entry, { again: true });
    return this;
  }

  /**
   * S3 object actions can only be granted on object ARNs, so a key prefix needs a trailing `*`
   * (`<bucket arn>/inbound/*`): acknowledge exactly those resources, one by one. Returns no errors.
   */
  private acknowledgeObjectKeyWildcards(): string[] {
    const stack = Stack.of(this);
    for (const { bucket, envName, prefix } of this.objectKeyGrants.splice(0)) {
      const resource = nagResourceName(stack.resolve(bucket.arnForObjects(`${prefix}*`)));
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          prefix === ''
            ? `S3 object actions take object ARNs: the wildcard stands for the keys of the bucket in ${envName}, which this function is bound to as a whole, and the actions are named one by one.`
            : `S3 object actions take object ARNs: the wildcard stands only for the keys under ${prefix} of the bucket in ${envName}, and the actions are named one by one.`,
      });
    }
    return [];
  }

  /**
   * Keeps the acknowledgement of `Resource "*"` in the role's policy (see `addTableStreamTrigger`)
   * from hiding anything but dynamodb:ListStreams: one error per other action granted on `*`.
   */
  private onlyListStreamsOnAnyResource(): string[] {
    const policy = this.role.node.tryFindChild('DefaultPolicy') as Policy | undefined;
    if (!policy) return [];
    const document = Stack.of(this).resolve(policy.document.toJSON()) as { Statement?: { Action: string | string[]; Resource: unknown }[] };
    return (document.Statement ?? [])
      .filter((statement) => [statement.Resource].flat().includes('*'))
      .flatMap((statement) => [statement.Action].flat())
      .filter((action) => action !== 'dynamodb:ListStreams')
      .map((action) => `${action} is granted on Resource "*", where only dynamodb:ListStreams may be (see addTableStreamTrigger)`);
  }

  private setEnvironment({ name, text }: EnvEntry, options: { again?: boolean } = {}): void {
    if (!ENV_NAME.test(name)) throw new Error(`${this.node.path}: ${name} is not an UPPER_SNAKE_CASE environment variable name`);
    if (name in FIXED_ENVIRONMENT) throw new Error(`${this.node.path}: ${name} is set by SwitchboardFunction itself`);
    const bound = this.boundNames.get(name);
    if (bound !== undefined && options.again && bound === text) return;
    if (bound !== undefined) throw new Error(`${this.node.path}: ${name} is already bound`);
    this.boundNames.set(name, text);
    this.resource.addEnvironment(name, text);
  }
}

/**
 * A resolved CloudFormation value written the way cdk-nag names it in a finding: `Fn::Join` joined,
 * `Fn::ImportValue` as its export name, `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attribute>`.
 */
function nagResourceName(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const json = value as Record<string, unknown>;
  if (Array.isArray(json['Fn::Join'])) {
    const [delimiter, items] = json['Fn::Join'] as [string, unknown[]];
    return items.map(nagResourceName).join(delimiter);
  }
  if (json['Fn::ImportValue'] !== undefined) return nagResourceName(json['Fn::ImportValue']);
  if (Array.isArray(json['Fn::GetAtt'])) {
    const [id, attribute] = json['Fn::GetAtt'] as [unknown, unknown];
    return `<${nagResourceName(id)}.${nagResourceName(attribute)}>`;
  }
  if (json.Ref !== undefined) return `<${nagResourceName(json.Ref)}>`;
  return JSON.stringify(value);
}

/** The shared esbuild settings in NodejsFunction's vocabulary. */
function nodejsBundling(): BundlingOptions {
  return {
    // Local esbuild from node_modules: synthesis needs no Docker.
    forceDockerBundling: false,
    // OutputFormat's values are esbuild's own format names.
    format: esbuildOptions.format as OutputFormat,
    target: esbuildOptions.target,
    mainFields: [...esbuildOptions.mainFields],
    minify: esbuildOptions.minify,
    keepNames: esbuildOptions.keepNames,
    sourceMap: esbuildOptions.sourcemap,
    sourcesContent: esbuildOptions.sourcesContent,
    externalModules: [...esbuildOptions.external],
    banner: esbuildOptions.banner.js,
  };
}
