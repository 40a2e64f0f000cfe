import { isAbsolute, join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant, type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, type IFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../repo-root.js';
import { esbuildOptions } from './bundling.js';
import type { IIndexedTable } from './designed-table.js';

export interface SwitchboardFunctionProps {
  /** Entry file relative to the repository root, with forward slashes, e.g. `functions/handlers/api/cases.ts`. */
  entry: string;
  description?: string;
  /** Retention of the function's own log group. */
  logRetention: RetentionDays;
  /** Megabytes; CPU share grows with memory, and 1024 MB keeps cold starts of a bundled SDK short. */
  memorySize?: number;
  /** Upper bound of one invocation. API functions stay well below API Gateway's 29 s integration timeout. */
  timeout?: Duration;
}

/** Template metadata keys the local runtime reads to find a function's source. */
export const FUNCTION_METADATA = { entry: 'switchboard:entry', handler: 'switchboard:handler' } as const;

/** Item reads; ConditionCheckItem is the read half of a transaction. No stream or control-plane actions. */
const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
];
/** Item writes; TransactWriteItems is authorized through these per item. */
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

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
  private readonly boundNames = new Set<string>();

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
  }

  /**
   * Lets the function read, or read and write, the table's items and query its indexes. Each index
   * is granted by name (`<table arn>/index/GSI1`, ...) rather than `index/*`, so the policy holds no
   * wildcard and a new index reaches only functions synthesized after it exists in the design.
   */
  bindTable(table: IIndexedTable, envName: string, access: 'read' | 'readWrite'): this {
    this.setEnvironment(envName, table.tableName);
    Grant.addToPrincipal({
      grantee: this.role,
      actions: access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
      resourceArns: [table.tableArn, ...table.indexNames.map((index) => `${table.tableArn}/index/${index}`)],
    });
    return this;
  }

  /** Lets the function read objects of the bucket, or also write and delete them. */
  bindBucket(bucket: IBucket, envName: string, access: 'read' | 'readWrite'): this {
    this.setEnvironment(envName, bucket.bucketName);
    if (access === 'read') bucket.grantRead(this.function);
    else bucket.grantReadWrite(this.function);
    return this;
  }

  /** Lets the function put events on the bus, and nothing else. */
  bindEventBus(bus: IEventBus, envName: string): this {
    this.setEnvironment(envName, bus.eventBusName);
    bus.grantPutEventsTo(this.function);
    return this;
  }

  /** Lets the function send to the queue, or receive and delete its messages. */
  bindQueue(queue: IQueue, envName: string, access: 'send' | 'consume'): this {
    this.setEnvironment(envName, queue.queueUrl);
    if (access === 'send') queue.grantSendMessages(this.function);
    else queue.grantConsumeMessages(this.function);
    return this;
  }

  /** A setting that names no AWS resource and so needs no grant (e.g. allowed CORS origins). */
  setSetting(envName: string, value: string): this {
    this.setEnvironment(envName, value);
    return this;
  }

  private setEnvironment(name: string, value: string): void {
    if (!ENV_NAME.test(name)) throw new Error(`${this.node.path}: ${name} is not an UPPER_SNAKE_CASE environment variable name`);
    if (name in FIXED_ENVIRONMENT) throw new Error(`${this.node.path}: ${name} is set by SwitchboardFunction itself`);
    if (this.boundNames.has(name)) throw new Error(`${this.node.path}: ${name} is already bound`);
    this.boundNames.add(name);
    this.resource.addEnvironment(name, value);
  }
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
