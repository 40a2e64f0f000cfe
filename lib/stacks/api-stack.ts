import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  type CfnMethod,
  CognitoUserPoolsAuthorizer,
  type CorsOptions,
  EndpointType,
  type IModel,
  JsonSchemaVersion,
  type JsonSchema,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Method,
  Model,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { ENV } from '#platform/adapters/env-variables';
import { API_FUNCTION_ENTRIES, type ApiFunctionName, ROUTES, type RouteSpec, routeKey } from '#api/contract';
import type { SwitchboardConfig } from '../config.js';
import type { IIndexedTable } from '../constructs/designed-table.js';
import { SwitchboardFunction } from '../constructs/switchboard-function.js';
import { WorkQueue } from '../constructs/work-queue.js';
import { MAIL_KEY_PREFIX, mailSettings } from '../mail.js';
import { caseAccessSettings, queueSettings } from '../queues.js';
import { pascalCase } from '../naming.js';
import { routingSettings } from '../routing.js';
import { slaSettings } from '../sla.js';

export interface ApiStackProps extends StackProps {
  config: SwitchboardConfig;
  casesTable: IIndexedTable;
  agentStateTable: IIndexedTable;
  userPool: IUserPool;
  agentDesktopClient: IUserPoolClient;
  /** The mail bucket: the email API function reads raw received mail from it. */
  mailBucket: IBucket;
}

/** One merge worker run: 20 pages of 90 items, with room to spare. */
const MERGE_WORKER_TIMEOUT = Duration.seconds(60);

/** Template metadata on each API Gateway method: its contract route key, e.g. `GET /cases/{id}`. */
export const METHOD_ROUTE_METADATA = 'switchboard:route';

/**
 * What each API function may touch. Keyed by every function name of the contract, so a new function
 * does not compile until its access is decided here.
 */
const API_FUNCTION_BINDINGS: Record<ApiFunctionName, (fn: SwitchboardFunction, props: ApiStackProps) => void> = {
  health: () => undefined,
  openapi: () => undefined,
  // Cases, their notes and merges, and customers' histories: the cases table.
  // Which cases a caller sees depends on the queues their profile lists: the agent-state table, read.
  cases: (fn, { casesTable, agentStateTable, config }) =>
    fn
      .bindTable(casesTable, ENV.casesTable, 'readWrite')
      .bindTable(agentStateTable, ENV.agentStateTable, 'read')
      .setSettings(queueSettings(config))
      .setSettings(caseAccessSettings(config)),
  // Agents reply by email (`POST /cases/{id}/replies`). Replies are queued in the cases table and the
  // email stack's outbox function sends them, so the API needs the mail settings (addresses,
  // domain) but not SES. It reads received mail as it arrived (`GET …/raw`): the bucket's inbound/
  // keys, read only. Which cases a caller sees depends on their profile: the agent-state table, read.
  email: (fn, { casesTable, agentStateTable, config, mailBucket }) => {
    fn.bindTable(casesTable, ENV.casesTable, 'readWrite').bindTable(agentStateTable, ENV.agentStateTable, 'read');
    fn.bindBucket(mailBucket, ENV.mailBucket, { read: [MAIL_KEY_PREFIX.inbound] });
    fn.setSettings(mailSettings(config)).setSettings(queueSettings(config)).setSettings(caseAccessSettings(config));
  },
  customers: (fn, { casesTable }) => fn.bindTable(casesTable, ENV.casesTable, 'read'),
  // Admins edit profiles and agents set their presence: the agent-state table, read and write.
  agents: (fn, { agentStateTable, config }) =>
    fn.bindTable(agentStateTable, ENV.agentStateTable, 'readWrite').setSettings(queueSettings(config)),
  // Callbacks and the missed-call report are read from the cases table; the telephony stack writes them.
  callbacks: (fn, { casesTable }) => fn.bindTable(casesTable, ENV.casesTable, 'read'),
  // SLA records, policies and calendars live in the cases table; admins edit the last two.
  sla: (fn, { casesTable, agentStateTable, config }) => {
    fn.bindTable(casesTable, ENV.casesTable, 'readWrite').bindTable(agentStateTable, ENV.agentStateTable, 'read');
    fn.setSettings(slaSettings(config)).setSettings(caseAccessSettings(config));
  },
  // Accepting work writes the work item and the case in one transaction: both tables. The routing
  // queues are not needed: the agent-state table's stream relays every change of a work item.
  routing: (fn, { agentStateTable, casesTable, config }) => {
    fn.bindTable(agentStateTable, ENV.agentStateTable, 'readWrite');
    fn.bindTable(casesTable, ENV.casesTable, 'readWrite');
    fn.setSettings(routingSettings(config)).setSettings(queueSettings(config)).setSettings(caseAccessSettings(config));
  },
};

/**
 * API Gateway's own errors, in the `{"error":{"code","message"}}` shape the handlers answer with.
 * `message` is a JSON value after API Gateway's plain variable substitution (no VTL, no escaping).
 * The two defaults keep API Gateway's status: a status there would override every uncustomized type.
 */
const GATEWAY_ERRORS: readonly { type: ResponseType; status?: number; code: string; message: string; headers?: Record<string, string> }[] =
  [
    {
      type: ResponseType.UNAUTHORIZED,
      status: 401,
      code: 'unauthorized',
      message: '"sign in: send a valid token in the Authorization header"',
    },
    { type: ResponseType.ACCESS_DENIED, status: 403, code: 'forbidden', message: '"you may not do this"' },
    // API Gateway answers a path or method it does not know with this type, not with a 404 of its own.
    { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, code: 'not_found', message: '"no such route"' },
    // `validationErrorString` quotes the failing values unescaped, which would break the JSON; `messageString` is safe.
    { type: ResponseType.BAD_REQUEST_BODY, status: 400, code: 'validation_failed', message: '$context.error.messageString' },
    { type: ResponseType.BAD_REQUEST_PARAMETERS, status: 400, code: 'validation_failed', message: '$context.error.messageString' },
    { type: ResponseType.REQUEST_TOO_LARGE, status: 413, code: 'payload_too_large', message: '"the request is too large"' },
    {
      type: ResponseType.UNSUPPORTED_MEDIA_TYPE,
      status: 415,
      code: 'unsupported_media_type',
      message: '"send the body as application/json"',
    },
    {
      type: ResponseType.THROTTLED,
      status: 429,
      code: 'throttled',
      message: '"too many requests; retry shortly"',
      headers: { 'Retry-After': '1' },
    },
    { type: ResponseType.QUOTA_EXCEEDED, status: 429, code: 'quota_exceeded', message: '"the request quota is used up"' },
    // `messageString` is API Gateway's message already quoted as a JSON string.
    { type: ResponseType.DEFAULT_4XX, code: 'request_refused', message: '$context.error.messageString' },
    { type: ResponseType.DEFAULT_5XX, code: 'internal_error', message: '"something went wrong on our side; the request may be retried"' },
  ];

/**
 * The HTTP API, built from the contract's ROUTES: one function per `route.function`, one method per
 * route, Cognito on every non-public route, request validation from the same zod schemas the
 * handlers use, and API Gateway's own errors in our error shape.
 */
export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly functions: Record<ApiFunctionName, SwitchboardFunction>;
  /** Case merges the cases API started, for the merge worker (see functions/cases/domain/merge.ts). */
  readonly mergeQueue: WorkQueue;
  readonly mergeFunction: SwitchboardFunction;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.functions = this.createFunctions(props);
    this.mergeQueue = new WorkQueue(this, 'CaseMergeQueue', {
      purpose: 'case merges to finish',
      consumerTimeout: MERGE_WORKER_TIMEOUT,
      // A merge that waits for the outbox runs again every 20 seconds; half an hour is a stuck worker.
      maxMessageAge: Duration.minutes(30),
    });
    this.mergeFunction = new SwitchboardFunction(this, 'CaseMergeFunction', {
      entry: 'functions/cases/handlers/merge-worker.ts',
      description: 'Switchboard cases: moves a merged case’s messages, notes and timeline a page at a time',
      logRetention: config.logRetentionDays,
      timeout: MERGE_WORKER_TIMEOUT,
    })
      .bindTable(props.casesTable, ENV.casesTable, 'readWrite')
      // The worker hands an unfinished job back to its own queue.
      .bindQueue(this.mergeQueue.queue, ENV.mergeQueueUrl, 'send')
      .addQueueTrigger(this.mergeQueue.queue, { batchSize: 1, maxConcurrency: 2 });
    this.functions.cases.bindQueue(this.mergeQueue.queue, ENV.mergeQueueUrl, 'send');

    const accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.api = new RestApi(this, 'Api', {
      restApiName: `switchboard-${config.stage}`,
      description: 'Switchboard contact-center API',
      // Callers are systems and agent desktops in or near the region: no CloudFront hop.
      endpointTypes: [EndpointType.REGIONAL],
      // API Gateway needs an account-wide role to write execution and access logs.
      cloudWatchRole: true,
      defaultCorsPreflightOptions: corsOptions(config.corsAllowOrigins),
      // Routes that answer bytes (a raw message): API Gateway decodes the handler's base64 body for a
      // request that accepts one of these types.
      binaryMediaTypes: [...new Set(ROUTES.flatMap((route) => (route.success.mediaType ? [route.success.mediaType] : [])))],
      deployOptions: {
        stageName: config.stage,
        throttlingRateLimit: config.apiThrottleRateLimit,
        throttlingBurstLimit: config.apiThrottleBurstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogGroup),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.INFO,
        // Request and response bodies hold customer data: never in the execution log.
        dataTraceEnabled: false,
        tracingEnabled: true,
      },
    });

    this.addRoutes(props);
    this.addGatewayResponses(config.corsAllowOrigins);
    this.acknowledgeFindings();

    // RestApi adds an `Endpoint` output of its own; one URL output, under a stable name, is enough.
    this.api.node.tryRemoveChild('Endpoint');
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the API stage' });
    new CfnOutput(this, 'UserPoolId', { value: props.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: props.agentDesktopClient.userPoolClientId, description: 'Agent desktop app client' });
  }

  private createFunctions(props: ApiStackProps): Record<ApiFunctionName, SwitchboardFunction> {
    const names = [...new Set(ROUTES.map((route) => route.function))];
    const corsOrigins = props.config.corsAllowOrigins;
    const cursorKey = this.cursorSigningKey();
    const functions = Object.fromEntries(
      names.map((name) => {
        const fn = new SwitchboardFunction(this, `${pascalCase(name)}ApiFunction`, {
          entry: API_FUNCTION_ENTRIES[name],
          description: `Switchboard API: ${name}`,
          logRetention: props.config.logRetentionDays,
        });
        API_FUNCTION_BINDINGS[name](fn, props);
        // Only with origins: without the variable the API answers no CORS headers at all.
        if (corsOrigins.length > 0) fn.setSetting(ENV.corsAllowOrigins, corsOrigins);
        fn.setSetting(ENV.cursorSigningKey, cursorKey);
        return [name, fn];
      }),
    );
    return functions as Record<ApiFunctionName, SwitchboardFunction>;
  }

  /**
   * The key every list cursor is signed with, generated by Secrets Manager when the stack is
   * created. CloudFormation resolves the dynamic reference at deploy time into the functions'
   * environment (encrypted at rest; readable only with lambda:GetFunctionConfiguration), so a
   * function needs no Secrets Manager call at cold start. A cursor lives minutes, so the key has no
   * rotation: replacing the secret only invalidates the cursors clients hold.
   */
  private cursorSigningKey(): string {
    const secret = new Secret(this, 'CursorSigningKey', {
      description: 'Signs the API list cursors (HMAC-SHA256)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The cursor signing key only proves that a list cursor was made by this API; cursors live minutes, so a replaced key merely makes clients restart a listing. It is replaced by recreating the secret, not by a rotation function.',
    });
    return secret.secretValue.unsafeUnwrap();
  }

  private addRoutes(props: ApiStackProps): void {
    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: 'method.request.header.Authorization',
      // API Gateway reuses its verdict on a token for 5 minutes (the token itself lives an hour), so a
      // revoked token keeps working for up to that long.
      resultsCacheTtl: Duration.minutes(5),
    });
    const validator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const integrations = new Map<ApiFunctionName, LambdaIntegration>();

    for (const route of ROUTES) {
      const fn = this.functions[route.function];
      let integration = integrations.get(route.function);
      if (!integration) {
        // No test-invoke permission: the console's test button is not worth a second grant per method.
        integration = new LambdaIntegration(fn.function, { proxy: true, allowTestInvoke: false });
        integrations.set(route.function, integration);
      }
      const isPublic = route.access === 'public';
      const method = this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        authorizationType: isPublic ? AuthorizationType.NONE : AuthorizationType.COGNITO,
        authorizer: isPublic ? undefined : authorizer,
        requestValidator: validator,
        requestParameters: requestParameters(route),
        requestModels: route.body ? { 'application/json': this.bodyModel(route, route.body) } : undefined,
      });
      (method.node.defaultChild as CfnMethod).addMetadata(METHOD_ROUTE_METADATA, routeKey(route));
      if (isPublic) acknowledgePublicMethod(method, route);
    }
  }

  private bodyModel(route: RouteSpec, body: z.ZodType): IModel {
    const name = `${pascalCase(route.method.toLowerCase())}${pascalCase(route.path)}Body`;
    return new Model(this, `${name}Model`, {
      restApi: this.api,
      modelName: name,
      contentType: 'application/json',
      schema: apiGatewaySchema(body),
    });
  }

  private addGatewayResponses(corsOrigins: readonly string[]): void {
    // A browser only shows an error to the page if it carries CORS headers. Gateway responses cannot
    // pick one of several origins per request, so they get the header only when one origin (or `*`) is set.
    const corsHeader: Record<string, string> = corsOrigins.length === 1 ? { 'Access-Control-Allow-Origin': `'${corsOrigins[0]}'` } : {};
    for (const error of GATEWAY_ERRORS) {
      this.api.addGatewayResponse(`${pascalCase(error.type.responseType.toLowerCase())}Response`, {
        type: error.type,
        statusCode: error.status === undefined ? undefined : String(error.status),
        responseHeaders: {
          'Content-Type': "'application/json'",
          'Cache-Control': "'no-store'",
          ...corsHeader,
          ...Object.fromEntries(Object.entries(error.headers ?? {}).map(([name, value]) => [name, `'${value}'`])),
        },
        templates: { 'application/json': `{"error":{"code":"${error.code}","message":${error.message}}}` },
      });
    }
  }

  private acknowledgeFindings(): void {
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'No WAF web ACL in the base stack: every non-public route needs a Cognito token and the stage is throttled, while a web ACL costs a monthly fee plus per-request charges that each operator should choose; attach one per environment with CfnWebACLAssociation.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-wide API Gateway CloudWatch role must write the logs of every API in the account and region; AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS made for exactly that role.',
      },
    );
  }
}

function corsOptions(origins: readonly string[]): CorsOptions | undefined {
  if (origins.length === 0) return undefined;
  return {
    allowOrigins: [...origins],
    allowMethods: [...new Set(ROUTES.map((route) => route.method))],
    allowHeaders: ['Authorization', 'Content-Type', 'If-Match'],
    maxAge: Duration.hours(1),
  };
}

/**
 * Query string and header parameters API Gateway should know of. None is required here: the handler
 * validates the query with its zod schema and answers in our error shape, which API Gateway's
 * parameter check would not.
 */
function requestParameters(route: RouteSpec): Record<string, boolean> | undefined {
  const parameters: Record<string, boolean> = {};
  if (route.query) {
    const schema = z.toJSONSchema(route.query, { target: 'draft-4', io: 'input' }) as { properties?: Record<string, unknown> };
    for (const name of Object.keys(schema.properties ?? {})) parameters[`method.request.querystring.${name}`] = false;
  }
  for (const header of route.headers ?? []) parameters[`method.request.header.${header.name}`] = header.required;
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

/**
 * The route's body schema as an API Gateway model (JSON Schema draft 4). Input mode, because API
 * Gateway sees the body before zod's transforms (trim, defaults), so it is never stricter than the
 * handler. Refinements do not translate: the handler still checks those.
 */
export function apiGatewaySchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-4', io: 'input' }) as Record<string, unknown>;
  if (JSON.stringify(rest).includes('"$ref"')) {
    throw new Error('API Gateway models here must be self-contained: the body schema produced a $ref');
  }
  // CDK writes JsonSchema keys through unchanged, except `schema` and `ref`, which it prefixes with `$`.
  return { schema: JsonSchemaVersion.DRAFT4, ...rest } as JsonSchema;
}

/**
 * Why each public route may be called without a token. A route made public in the contract fails
 * synthesis until its reason is written here.
 */
const PUBLIC_ROUTE_REASONS: Record<string, string> = {
  'GET /health':
    'GET /health is public by contract: uptime monitors and load balancers probe it without a token; it reads no table and returns only {"status":"ok"}.',
  'GET /openapi.json':
    'GET /openapi.json is public by contract: integrators read the API description before they hold credentials; it is generated from the contract and contains no data.',
};

function acknowledgePublicMethod(method: Method, route: RouteSpec): void {
  const reason = PUBLIC_ROUTE_REASONS[routeKey(route)];
  if (!reason) throw new Error(`${routeKey(route)} is public: write why in PUBLIC_ROUTE_REASONS (lib/stacks/api-stack.ts)`);
  Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
}
