/**
 * Reads the synthesized CloudFormation templates of the CDK app and extracts what the local runtime
 * must recreate: tables, buckets, queues, event buses, Kinesis streams, state machines, the API's
 * methods and the functions behind them with their environment. Deriving the wiring from the template (not from a
 * list of our own) keeps local and cloud from drifting apart.
 */

import { randomBytes } from 'node:crypto';

type Json = Record<string, unknown>;

export interface StackTemplate {
  stackName: string;
  template: { Resources?: Record<string, CfnResource>; Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }> };
}

interface CfnResource {
  Type: string;
  Properties?: Json;
  Metadata?: Json;
}

export interface TableDefinition {
  logicalId: string;
  localName: string;
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    Projection: { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  }[];
  ttlAttribute: string | null;
  streamViewType: string | null;
}

export interface FunctionDefinition {
  logicalId: string;
  /** The `FunctionName` property when it is a string, else the logical id without CDK's hash: the name in local ARNs. */
  localName: string;
  /** The function's `Timeout` in seconds (Lambda's default, 3, when the template has none). */
  timeoutSeconds: number;
  /** Source entry relative to the repository root, from the construct's `switchboard:entry` metadata. */
  entry: string;
  exportName: string;
  /** Environment as the template writes it: literal strings or references still to resolve. */
  environment: Record<string, unknown>;
  stackName: string;
}

export interface ApiMethodDefinition {
  method: string;
  /** Resource path with `{param}` placeholders, as API Gateway's `event.resource` gives it. */
  resource: string;
  authorization: string;
  functionLogicalId: string;
}

/** A Lambda event source mapping: which function a queue, a table's stream or a Kinesis stream triggers, and how. */
export interface EventSourceDefinition {
  kind: 'sqs' | 'dynamodb-stream' | 'kinesis';
  /** Logical id of the queue, table or Kinesis stream. */
  sourceLogicalId: string;
  functionLogicalId: string;
  batchSize: number;
  reportBatchItemFailures: boolean;
  /** Streams only: on a function error Lambda splits the batch in two and retries each half. */
  bisectBatchOnFunctionError: boolean;
  /** Streams only: `LATEST`, `TRIM_HORIZON` or `AT_TIMESTAMP`; null for queues. */
  startingPosition: string | null;
  /** Lambda event filter patterns (parsed JSON); an event passes when any matches. */
  filters: Json[];
}

/** An S3 bucket's notification of created objects to a queue. */
export interface BucketNotificationDefinition {
  bucketLogicalId: string;
  queueLogicalId: string;
  events: string[];
  prefix: string;
  suffix: string;
}

/** An `AWS::StepFunctions::StateMachine`, its definition still as the template writes it. */
export interface StateMachineResource {
  logicalId: string;
  /** The `StateMachineName` property when it is a string, else the logical id without CDK's hash. */
  localName: string;
  /**
   * The raw `DefinitionString` (a string, or an `Fn::Join` of strings and references) or, when the
   * template has none, the `Definition` object; `resolveStateMachineDefinition` turns it into JSON.
   */
  definition: unknown;
  /** `DefinitionSubstitutions`: `${key}` in the definition is replaced by the resolved value. */
  substitutions: Record<string, unknown>;
  /** `STANDARD` or `EXPRESS`, as the template says (`STANDARD` when absent). */
  type: string;
  stackName: string;
}

/**
 * An EventBridge rule with Lambda targets: an event pattern on a bus (Amazon Connect's contact
 * events on the default bus), or a schedule (`rate(…)`). Locally, events are delivered to the
 * targets by hand and schedules run on a timer.
 */
export interface EventRuleDefinition {
  logicalId: string;
  /** Null for a scheduled rule. */
  eventPattern: Json | null;
  /** `rate(1 minute)` …; null for a pattern rule. */
  scheduleExpression: string | null;
  enabled: boolean;
  /** Functions the rule invokes (other targets are not run locally). */
  functionLogicalIds: string[];
}

export interface CloudModel {
  tables: TableDefinition[];
  buckets: { logicalId: string; localName: string }[];
  queues: { logicalId: string; localName: string; fifo: boolean; properties: Json }[];
  eventBuses: { logicalId: string; localName: string }[];
  /** `AWS::Kinesis::Stream`s; locally there is no Kinesis, their records are delivered by hand. */
  kinesisStreams: { logicalId: string; localName: string }[];
  /** Step Functions state machines; `Ref` answers their ARN and `Fn::GetAtt … Name` their name once bound. */
  stateMachines: StateMachineResource[];
  functions: Map<string, FunctionDefinition>;
  apiMethods: ApiMethodDefinition[];
  eventSources: EventSourceDefinition[];
  bucketNotifications: BucketNotificationDefinition[];
  eventRules: EventRuleDefinition[];
  /** Functions the Connect instance may call from its contact flows (`AWS::Connect::IntegrationAssociation` of type `LAMBDA_FUNCTION`). */
  contactFlowFunctionIds: string[];
  /**
   * Resolves a template value (literal, Ref, GetAtt, ImportValue, Fn::Join, Fn::Sub) to the local
   * resource's name or URL. Pseudo parameters (`AWS::Region`, …) resolve once bound; `AWS::StackName`
   * is the stack's name.
   */
  resolve(value: unknown, stackName: string): string;
  /** What a local resource answers to `Ref` and `Fn::GetAtt` (e.g. a queue's URL and ARN), once created. */
  bind(logicalId: string, values: { ref?: string; attributes?: Record<string, string> }): void;
}

/** CDK appends an 8-character hash to logical ids; the local name drops it. */
function localNameOf(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

function resourcesOf(stacks: StackTemplate[], type: string): [StackTemplate, string, CfnResource][] {
  return stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources ?? {})
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => [stack, logicalId, resource] as [StackTemplate, string, CfnResource]),
  );
}

/** Finds the first `Fn::GetAtt: [X, 'Arn']` inside a value (the function behind an integration URI). */
function findGetAttTarget(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findGetAttTarget(item);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    const getAtt = (value as Json)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
    for (const nested of Object.values(value as Json)) {
      const found = findGetAttTarget(nested);
      if (found) return found;
    }
  }
  return null;
}

function tableFrom(logicalId: string, resource: CfnResource): TableDefinition {
  const p = resource.Properties ?? {};
  const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  const stream = p.StreamSpecification as { StreamViewType?: string } | undefined;
  const indexes = (p.GlobalSecondaryIndexes as TableDefinition['globalSecondaryIndexes'] | undefined) ?? [];
  return {
    logicalId,
    localName: localNameOf(logicalId),
    keySchema: p.KeySchema as TableDefinition['keySchema'],
    attributeDefinitions: p.AttributeDefinitions as TableDefinition['attributeDefinitions'],
    globalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection ?? { ProjectionType: 'ALL' },
    })),
    ttlAttribute: ttl?.Enabled === false ? null : (ttl?.AttributeName ?? null),
    streamViewType: stream?.StreamViewType ?? null,
  };
}

/** The API's methods with their full resource paths, walking the Resource tree up to the root. */
function apiMethodsFrom(stacks: StackTemplate[]): ApiMethodDefinition[] {
  const methods: ApiMethodDefinition[] = [];
  for (const stack of stacks) {
    const resources = stack.template.Resources ?? {};
    const pathOf = (resourceId: unknown): string => {
      const ref = (resourceId as Json | undefined)?.Ref;
      if (typeof ref !== 'string') return ''; // Fn::GetAtt [RestApi, RootResourceId]: the root
      const node = resources[ref];
      return `${pathOf(node?.Properties?.ParentId)}/${String(node?.Properties?.PathPart)}`;
    };
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::ApiGateway::Method') continue;
      const p = resource.Properties ?? {};
      const integration = p.Integration as Json | undefined;
      if (integration?.Type !== 'AWS_PROXY') continue; // CORS preflights are mock integrations
      const functionLogicalId = findGetAttTarget(integration.Uri);
      if (!functionLogicalId) continue;
      methods.push({
        method: String(p.HttpMethod),
        resource: pathOf(p.ResourceId) || '/',
        authorization: String(p.AuthorizationType ?? 'NONE'),
        functionLogicalId,
      });
    }
  }
  return methods;
}

/** Builds the local model of the app from its synthesized stacks. */
export function readCloudModel(stacks: StackTemplate[]): CloudModel {
  const named = namedResourcesFrom(stacks);
  const functions = functionsFrom(stacks);
  const localNames = new Map<string, string>([
    ...named.tables.map((t) => [t.logicalId, t.localName] as const),
    ...named.buckets.map((b) => [b.logicalId, b.localName] as const),
    ...named.queues.map((q) => [q.logicalId, q.localName] as const),
    ...named.eventBuses.map((e) => [e.logicalId, e.localName] as const),
    ...named.kinesisStreams.map((k) => [k.logicalId, k.localName] as const),
  ]);
  const secrets = generatedSecretsFrom(stacks);
  for (const [logicalId, secret] of secrets) localNames.set(logicalId, secret.localName);
  const exportsByName = exportsOf(stacks);
  const bound = new Map<string, Binding>();
  const references: References = { logicalIdOf: logicalIdReader(exportsByName), functions };

  return {
    ...named,
    stateMachines: stateMachinesFrom(stacks),
    functions,
    apiMethods: apiMethodsFrom(stacks),
    eventSources: eventSourcesFrom(stacks, named, references),
    bucketNotifications: bucketNotificationsFrom(stacks, references),
    eventRules: eventRulesFrom(stacks, references),
    contactFlowFunctionIds: contactFlowFunctionIdsFrom(stacks, references),
    resolve: withSecretsResolved(referenceResolver(localNames, exportsByName, bound), secrets),
    bind: (logicalId, values) => bound.set(logicalId, values),
  };
}

/**
 * The `AWS::SecretsManager::Secret`s the stacks generate (the cursor signing key): locally a fresh
 * random value each time the runtime starts, as a new stack would get. Cursors made before a
 * restart are then refused, which only restarts a listing.
 */
function generatedSecretsFrom(stacks: StackTemplate[]): Map<string, { localName: string; value: string }> {
  return new Map(
    resourcesOf(stacks, 'AWS::SecretsManager::Secret').map(([, logicalId]) => [
      logicalId,
      { localName: localNameOf(logicalId), value: randomBytes(48).toString('base64url') },
    ]),
  );
}

/**
 * CloudFormation replaces a dynamic reference to a secret (`{{resolve:secretsmanager:<arn>:SecretString:::}}`)
 * with its value at deploy time; locally the reference names the secret's local name. Any other
 * dynamic reference is refused, so it cannot reach a function unresolved.
 */
function withSecretsResolved(
  resolve: (value: unknown, stackName: string) => string,
  secrets: Map<string, { localName: string; value: string }>,
): (value: unknown, stackName: string) => string {
  const byName = new Map([...secrets.values()].map((secret) => [secret.localName, secret.value]));
  return (value, stackName) =>
    resolve(value, stackName).replace(/\{\{resolve:([^}]*)\}\}/g, (reference: string, inner: string) => {
      const [service, name, part, jsonKey] = inner.split(':');
      const secret = service === 'secretsmanager' && part === 'SecretString' && !jsonKey ? byName.get(name ?? '') : undefined;
      if (secret === undefined) throw new Error(`the local runtime cannot resolve the dynamic reference ${reference} (stack ${stackName})`);
      return secret;
    });
}

/** What a local resource answers to `Ref` and `Fn::GetAtt`, once created (see `CloudModel.bind`). */
type Binding = { ref?: string; attributes?: Record<string, string> };

/** What the readers of wiring (event sources, notifications, rules) share: references to logical ids, and the functions. */
interface References {
  logicalIdOf: (value: unknown) => string | null;
  functions: Map<string, FunctionDefinition>;
}

type NamedResources = Pick<CloudModel, 'tables' | 'buckets' | 'queues' | 'eventBuses' | 'kinesisStreams'>;

/** Tables, buckets, queues, event buses and Kinesis streams with their local names. */
function namedResourcesFrom(stacks: StackTemplate[]): NamedResources {
  const tables = [...resourcesOf(stacks, 'AWS::DynamoDB::Table'), ...resourcesOf(stacks, 'AWS::DynamoDB::GlobalTable')].map(
    ([, logicalId, resource]) => tableFrom(logicalId, resource),
  );
  const buckets = resourcesOf(stacks, 'AWS::S3::Bucket').map(([, logicalId]) => ({
    logicalId,
    localName: localNameOf(logicalId).toLowerCase(),
  }));
  const queues = resourcesOf(stacks, 'AWS::SQS::Queue').map(([, logicalId, resource]) => ({
    logicalId,
    localName: localNameOf(logicalId) + (resource.Properties?.FifoQueue ? '.fifo' : ''),
    fifo: Boolean(resource.Properties?.FifoQueue),
    properties: resource.Properties ?? {},
  }));
  const eventBuses = resourcesOf(stacks, 'AWS::Events::EventBus').map(([, logicalId, resource]) => ({
    logicalId,
    localName: typeof resource.Properties?.Name === 'string' ? resource.Properties.Name : localNameOf(logicalId),
  }));
  const kinesisStreams = resourcesOf(stacks, 'AWS::Kinesis::Stream').map(([, logicalId, resource]) => ({
    logicalId,
    localName: typeof resource.Properties?.Name === 'string' ? resource.Properties.Name : localNameOf(logicalId),
  }));
  return { tables, buckets, queues, eventBuses, kinesisStreams };
}

/** The app's own functions (those with `switchboard:entry` metadata), by logical id. */
function functionsFrom(stacks: StackTemplate[]): Map<string, FunctionDefinition> {
  const functions = new Map<string, FunctionDefinition>();
  for (const [stack, logicalId, resource] of resourcesOf(stacks, 'AWS::Lambda::Function')) {
    const entry = resource.Metadata?.['switchboard:entry'];
    if (typeof entry !== 'string') continue; // CDK's own helper functions (custom resources) have none
    const environment = ((resource.Properties?.Environment as Json | undefined)?.Variables ?? {}) as Record<string, unknown>;
    const exportName = String(resource.Metadata?.['switchboard:handler'] ?? 'handler');
    functions.set(logicalId, {
      logicalId,
      localName: typeof resource.Properties?.FunctionName === 'string' ? resource.Properties.FunctionName : localNameOf(logicalId),
      timeoutSeconds: typeof resource.Properties?.Timeout === 'number' ? resource.Properties.Timeout : 3,
      entry,
      exportName,
      environment,
      stackName: stack.stackName,
    });
  }
  return functions;
}

function stateMachinesFrom(stacks: StackTemplate[]): StateMachineResource[] {
  return resourcesOf(stacks, 'AWS::StepFunctions::StateMachine').map(([stack, logicalId, resource]) => {
    const p = resource.Properties ?? {};
    return {
      logicalId,
      localName: typeof p.StateMachineName === 'string' ? p.StateMachineName : localNameOf(logicalId),
      definition: p.DefinitionString ?? p.Definition,
      substitutions: (p.DefinitionSubstitutions as Record<string, unknown> | undefined) ?? {},
      type: typeof p.StateMachineType === 'string' ? p.StateMachineType : 'STANDARD',
      stackName: stack.stackName,
    };
  });
}

/** Every stack's exported outputs by export name, for `Fn::ImportValue`. */
function exportsOf(stacks: StackTemplate[]): Map<string, unknown> {
  const exportsByName = new Map<string, unknown>();
  for (const stack of stacks) {
    for (const output of Object.values(stack.template.Outputs ?? {})) {
      if (typeof output.Export?.Name === 'string') exportsByName.set(output.Export.Name, output.Value);
    }
  }
  return exportsByName;
}

/** `CloudModel.resolve` over the local names, the cross-stack exports and what has been bound since. */
function referenceResolver(
  localNames: Map<string, string>,
  exportsByName: Map<string, unknown>,
  bound: Map<string, Binding>,
): (value: unknown, stackName: string) => string {
  const resolve = (value: unknown, stackName: string): string => {
    if (typeof value === 'string') return value;
    const json = (value ?? {}) as Json;
    if (typeof json.Ref === 'string') {
      if (json.Ref === 'AWS::StackName') return stackName;
      const ref = bound.get(json.Ref)?.ref ?? localNames.get(json.Ref);
      if (ref !== undefined) return ref;
    }
    const getAtt = json['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      const attribute = bound.get(getAtt[0])?.attributes?.[String(getAtt[1])] ?? localNames.get(getAtt[0]);
      if (attribute !== undefined) return attribute;
    }
    const imported = json['Fn::ImportValue'];
    if (typeof imported === 'string' && exportsByName.has(imported)) return resolve(exportsByName.get(imported), stackName);
    const join = json['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map((part: unknown) => resolve(part, stackName)).join(join[0]);
    }
    const sub = json['Fn::Sub'];
    if (typeof sub === 'string' || (Array.isArray(sub) && typeof sub[0] === 'string')) {
      const [text, variables]: [string, Json] = typeof sub === 'string' ? [sub, {}] : [sub[0] as string, (sub[1] ?? {}) as Json];
      // `${!Literal}` stands for the text `${Literal}`; `${Name.Attribute}` is a GetAtt, `${Name}` a Ref.
      return text.replace(/\$\{(!?)([^}]*)\}/g, (_, literal: string, name: string) => {
        if (literal) return `\${${name}}`;
        if (name in variables) return resolve(variables[name], stackName);
        const dot = name.indexOf('.');
        return resolve(dot < 0 ? { Ref: name } : { 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] }, stackName);
      });
    }
    throw new Error(`the local runtime cannot resolve ${JSON.stringify(value)} (stack ${stackName})`);
  };
  return resolve;
}

/** The logical id a reference points at, following cross-stack imports to the exporting stack. */
function logicalIdReader(exportsByName: Map<string, unknown>): (value: unknown) => string | null {
  const logicalIdOf = (value: unknown): string | null => {
    const json = (value ?? {}) as Json;
    if (typeof json.Ref === 'string') return json.Ref;
    const getAtt = json['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
    const imported = json['Fn::ImportValue'];
    if (typeof imported === 'string' && exportsByName.has(imported)) return logicalIdOf(exportsByName.get(imported));
    return null;
  };
  return logicalIdOf;
}

function eventSourcesFrom(stacks: StackTemplate[], named: NamedResources, { logicalIdOf, functions }: References): EventSourceDefinition[] {
  const queueIds = new Set(named.queues.map((queue) => queue.logicalId));
  const tableIds = new Set(named.tables.map((table) => table.logicalId));
  const kinesisIds = new Set(named.kinesisStreams.map((stream) => stream.logicalId));
  return resourcesOf(stacks, 'AWS::Lambda::EventSourceMapping').flatMap(([, , resource]) => {
    const p = resource.Properties ?? {};
    const sourceLogicalId = logicalIdOf(p.EventSourceArn);
    const functionLogicalId = logicalIdOf(p.FunctionName);
    if (!sourceLogicalId || !functionLogicalId || !functions.has(functionLogicalId)) return [];
    const kind = queueIds.has(sourceLogicalId)
      ? 'sqs'
      : tableIds.has(sourceLogicalId)
        ? 'dynamodb-stream'
        : kinesisIds.has(sourceLogicalId)
          ? 'kinesis'
          : null;
    if (!kind) return [];
    const filters = ((p.FilterCriteria as Json | undefined)?.Filters as { Pattern: string }[] | undefined) ?? [];
    return [
      {
        kind,
        sourceLogicalId,
        functionLogicalId,
        batchSize: Number(p.BatchSize ?? 10),
        reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
        bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true || p.BisectBatchOnFunctionError === 'true',
        startingPosition: typeof p.StartingPosition === 'string' ? p.StartingPosition : null,
        filters: filters.map((filter) => JSON.parse(filter.Pattern) as Json),
      },
    ];
  });
}

function bucketNotificationsFrom(stacks: StackTemplate[], { logicalIdOf }: References): BucketNotificationDefinition[] {
  return resourcesOf(stacks, 'Custom::S3BucketNotifications').flatMap(([, , resource]) => {
    const p = resource.Properties ?? {};
    const bucketLogicalId = logicalIdOf(p.BucketName);
    const configurations = ((p.NotificationConfiguration as Json | undefined)?.QueueConfigurations as Json[] | undefined) ?? [];
    return configurations.flatMap((configuration) => {
      const queueLogicalId = logicalIdOf(configuration.QueueArn);
      if (!bucketLogicalId || !queueLogicalId) return [];
      const rules =
        (((configuration.Filter as Json | undefined)?.Key as Json | undefined)?.FilterRules as { Name: string; Value: string }[]) ?? [];
      const rule = (name: string) => rules.find((candidate) => candidate.Name.toLowerCase() === name)?.Value ?? '';
      return [
        {
          bucketLogicalId,
          queueLogicalId,
          events: (configuration.Events as string[]) ?? [],
          prefix: rule('prefix'),
          suffix: rule('suffix'),
        },
      ];
    });
  });
}

function eventRulesFrom(stacks: StackTemplate[], { logicalIdOf, functions }: References): EventRuleDefinition[] {
  return resourcesOf(stacks, 'AWS::Events::Rule').flatMap(([, logicalId, resource]) => {
    const p = resource.Properties ?? {};
    const functionLogicalIds = ((p.Targets as Json[] | undefined) ?? [])
      .map((target) => logicalIdOf(target.Arn))
      .filter((id): id is string => id !== null && functions.has(id));
    if (functionLogicalIds.length === 0) return [];
    return [
      {
        logicalId,
        eventPattern: (p.EventPattern as Json | undefined) ?? null,
        scheduleExpression: typeof p.ScheduleExpression === 'string' ? p.ScheduleExpression : null,
        enabled: p.State !== 'DISABLED',
        functionLogicalIds,
      },
    ];
  });
}

function contactFlowFunctionIdsFrom(stacks: StackTemplate[], { logicalIdOf, functions }: References): string[] {
  return resourcesOf(stacks, 'AWS::Connect::IntegrationAssociation')
    .filter(([, , resource]) => resource.Properties?.IntegrationType === 'LAMBDA_FUNCTION')
    .map(([, , resource]) => logicalIdOf(resource.Properties?.IntegrationArn))
    .filter((id): id is string => id !== null && functions.has(id));
}

/**
 * A state machine's definition as JSON: the `DefinitionString` resolved to text through
 * `model.resolve` (CDK writes an `Fn::Join` of the definition's text around references such as
 * `{"Fn::GetAtt": [<function>, "Arn"]}` and `{"Ref": "AWS::Partition"}`), its
 * `DefinitionSubstitutions` put in for `${key}`, and parsed. Every referenced resource (functions,
 * pseudo parameters) must be bound first.
 */
export function resolveStateMachineDefinition(model: CloudModel, machine: StateMachineResource): unknown {
  const substitute = (text: string) =>
    text.replace(/\$\{([^}]+)\}/g, (whole, key: string) =>
      key in machine.substitutions ? model.resolve(machine.substitutions[key], machine.stackName) : whole,
    );
  if (machine.definition && typeof machine.definition === 'object' && !isIntrinsic(machine.definition)) {
    // The `Definition` property: a JSON object with literal values.
    return JSON.parse(substitute(JSON.stringify(machine.definition))) as unknown;
  }
  const text = substitute(model.resolve(machine.definition, machine.stackName));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`the definition of state machine ${machine.logicalId} is not JSON once resolved: ${(error as Error).message}`);
  }
}

function isIntrinsic(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/**
 * Binds what state machine definitions and the functions' environment refer to, and registers every
 * state machine: the pseudo parameters (`AWS::Region`, `AWS::AccountId`, `AWS::Partition`,
 * `AWS::URLSuffix`), every function (`Ref`: its local name, `Arn`: its local ARN), then each state
 * machine's resolved definition with `register`, binding what it answers (`Ref` and `Arn`: the ARN,
 * `Name`: the name). Call before the functions' environment is applied.
 */
export function bindStateMachines(
  model: CloudModel,
  register: (machine: { name: string; definition: unknown; roleArn: string }) => string,
  local: { region: string; account: string },
): void {
  const pseudoParameters = {
    'AWS::Region': local.region,
    'AWS::AccountId': local.account,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  for (const [name, value] of Object.entries(pseudoParameters)) model.bind(name, { ref: value });
  for (const fn of model.functions.values()) {
    model.bind(fn.logicalId, {
      ref: fn.localName,
      attributes: { Arn: `arn:aws:lambda:${local.region}:${local.account}:function:${fn.localName}` },
    });
  }
  for (const machine of model.stateMachines) {
    const arn = register({
      name: machine.localName,
      definition: resolveStateMachineDefinition(model, machine),
      roleArn: `arn:aws:iam::${local.account}:role/${machine.localName}-role`,
    });
    model.bind(machine.logicalId, { ref: arn, attributes: { Arn: arn, Name: machine.localName } });
  }
}
