/**
 * Reads the synthesized CloudFormation templates of the CDK app and extracts what the local runtime
 * must recreate: tables, buckets, queues, event buses, Kinesis streams, the API's methods and the
 * functions behind them with their environment. Deriving the wiring from the template (not from a
 * list of our own) keeps local and cloud from drifting apart.
 */

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

export interface CloudModel {
  tables: TableDefinition[];
  buckets: { logicalId: string; localName: string }[];
  queues: { logicalId: string; localName: string; fifo: boolean; properties: Json }[];
  eventBuses: { logicalId: string; localName: string }[];
  /** `AWS::Kinesis::Stream`s; locally there is no Kinesis, their records are delivered by hand. */
  kinesisStreams: { logicalId: string; localName: string }[];
  functions: Map<string, FunctionDefinition>;
  apiMethods: ApiMethodDefinition[];
  eventSources: EventSourceDefinition[];
  bucketNotifications: BucketNotificationDefinition[];
  /** Resolves a template value (literal, Ref, GetAtt, ImportValue) to the local resource's name or URL. */
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
  const functions = new Map<string, FunctionDefinition>();
  for (const [stack, logicalId, resource] of resourcesOf(stacks, 'AWS::Lambda::Function')) {
    const entry = resource.Metadata?.['switchboard:entry'];
    if (typeof entry !== 'string') continue; // CDK's own helper functions (custom resources) have none
    const environment = ((resource.Properties?.Environment as Json | undefined)?.Variables ?? {}) as Record<string, unknown>;
    const exportName = String(resource.Metadata?.['switchboard:handler'] ?? 'handler');
    functions.set(logicalId, { logicalId, entry, exportName, environment, stackName: stack.stackName });
  }

  const localNames = new Map<string, string>([
    ...tables.map((t) => [t.logicalId, t.localName] as const),
    ...buckets.map((b) => [b.logicalId, b.localName] as const),
    ...queues.map((q) => [q.logicalId, q.localName] as const),
    ...eventBuses.map((e) => [e.logicalId, e.localName] as const),
    ...kinesisStreams.map((k) => [k.logicalId, k.localName] as const),
  ]);
  const exportsByName = new Map<string, unknown>();
  for (const stack of stacks) {
    for (const output of Object.values(stack.template.Outputs ?? {})) {
      if (typeof output.Export?.Name === 'string') exportsByName.set(output.Export.Name, output.Value);
    }
  }

  const bound = new Map<string, { ref?: string; attributes?: Record<string, string> }>();
  const resolve = (value: unknown, stackName: string): string => {
    if (typeof value === 'string') return value;
    const json = (value ?? {}) as Json;
    if (typeof json.Ref === 'string') {
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
    throw new Error(`the local runtime cannot resolve ${JSON.stringify(value)} (stack ${stackName})`);
  };

  /** The logical id a reference points at, following cross-stack imports to the exporting stack. */
  const logicalIdOf = (value: unknown): string | null => {
    const json = (value ?? {}) as Json;
    if (typeof json.Ref === 'string') return json.Ref;
    const getAtt = json['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
    const imported = json['Fn::ImportValue'];
    if (typeof imported === 'string' && exportsByName.has(imported)) return logicalIdOf(exportsByName.get(imported));
    return null;
  };
  const queueIds = new Set(queues.map((queue) => queue.logicalId));
  const tableIds = new Set(tables.map((table) => table.logicalId));
  const kinesisIds = new Set(kinesisStreams.map((stream) => stream.logicalId));

  const eventSources: EventSourceDefinition[] = resourcesOf(stacks, 'AWS::Lambda::EventSourceMapping').flatMap(([, , resource]) => {
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

  const bucketNotifications: BucketNotificationDefinition[] = resourcesOf(stacks, 'Custom::S3BucketNotifications').flatMap(([, , resource]) => {
    const p = resource.Properties ?? {};
    const bucketLogicalId = logicalIdOf(p.BucketName);
    const configurations = ((p.NotificationConfiguration as Json | undefined)?.QueueConfigurations as Json[] | undefined) ?? [];
    return configurations.flatMap((configuration) => {
      const queueLogicalId = logicalIdOf(configuration.QueueArn);
      if (!bucketLogicalId || !queueLogicalId) return [];
      const rules = ((((configuration.Filter as Json | undefined)?.Key as Json | undefined)?.FilterRules as { Name: string; Value: string }[]) ?? []);
      const rule = (name: string) => rules.find((candidate) => candidate.Name.toLowerCase() === name)?.Value ?? '';
      return [{ bucketLogicalId, queueLogicalId, events: (configuration.Events as string[]) ?? [], prefix: rule('prefix'), suffix: rule('suffix') }];
    });
  });

  return {
    tables,
    buckets,
    queues,
    eventBuses,
    kinesisStreams,
    functions,
    apiMethods: apiMethodsFrom(stacks),
    eventSources,
    bucketNotifications,
    resolve,
    bind: (logicalId, values) => bound.set(logicalId, values),
  };
}
