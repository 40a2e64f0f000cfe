import './sdk-environment.js';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { LocalApiGateway, type ProxyHandler } from './api-gateway.js';
import { bindStateMachines, readCloudModel } from './cloud-template.js';
import { runDeployTimeCalls } from './deploy-time-calls.js';
import { ENV } from '#platform/adapters/env-variables';
import { assertSupportedPattern } from './event-filter.js';
import { FunctionLoader, functionArn, functionInvoker, lambdaContext } from './function-loader.js';
import { EventRuleDelivery } from './event-rules.js';
import { EventSourcePositions } from './event-source-positions.js';
import { freePort } from './free-port.js';
import { inboundMailDelivery } from './inbound-mail.js';
import { agentEventSources, KinesisDelivery, type KinesisHandler } from './kinesis-delivery.js';
import { createLocalAuth } from './local-auth.js';
import { guardLoopbackHost, hasLoopbackHost } from './loopback-host.js';
import { type ContactFlowFunction, handleLocalRoute } from './local-routes.js';
import { provisionBuckets, provisionTables } from './provision.js';
import { restoreQueueMessages, saveQueueMessages } from './queue-persistence.js';
import { provisionQueues } from './queues.js';
import { restoreObjects, saveObjects } from './s3-persistence.js';
import { seedDemoData } from './seed.js';
import { type ConnectContactEvent, startConnectLocal } from './services/connect-local.js';
import { startDynamoDbLocal } from './services/dynamodb-local.js';
import { type CapturedEvent, startEventBridgeLocal } from './services/eventbridge-local.js';
import { saveMail, startSesLocal } from './services/ses-local.js';
import { startSmtpInbound } from './services/smtp-inbound.js';
import { type StateMachineSummary, type StepFunctionsLocal, startStepFunctionsLocal } from './services/stepfunctions-local.js';
import { SqsPoller } from './sqs-poller.js';
import { StreamPoller } from './stream-poller.js';
import { LOCAL_CONNECT_CONTEXT, synthesizeTemplates } from './synthesize.js';

export interface LocalRuntimeOptions {
  /** API port; 0 picks a free one. */
  port: number;
  sesPort: number;
  /** EventBridge stand-in; 0 (the default) picks a free one. */
  eventsPort?: number;
  /** Step Functions stand-in; 0 (the default) picks a free one. */
  stepFunctionsPort?: number;
  smtpPort: number;
  dynamoDbPort: number;
  fauxqsPort: number;
  /** Where state persists; null keeps everything in memory (tests). */
  dataDir: string | null;
  /** Wipe the data directory first. */
  reset: boolean;
  /** Print one line per API request. */
  logRequests: boolean;
  /** Runs every scheduled rule at this interval instead of its `rate(…)` (tests, demos); null keeps the rate. */
  scheduleIntervalMs?: number | null | undefined;
  /** CDK context that wins over cdk.json (settings such as `switchboard:offerTimeoutSeconds`). */
  context?: Record<string, unknown> | undefined;
}

export interface LocalRuntime {
  apiUrl: string;
  sesUrl: string;
  /** The EventBridge stand-in: the SDK endpoint, and `GET <eventsUrl>/events` for the captured events. */
  eventsUrl: string;
  /** The Step Functions stand-in: the SDK endpoint (`AWS_ENDPOINT_URL_SFN`). */
  stepFunctionsUrl: string;
  smtpPort: number;
  dynamoDbUrl: string;
  fauxqsUrl: string;
  dynamoDbPid: number;
  /** Human lines describing every endpoint, printed when ready. */
  describe(): string[];
  stop(): Promise<void>;
}

/** Local AWS settings: a fixed region and dummy credentials; the stand-ins accept any. */
const REGION = 'eu-central-1';
/** The account id in local ARNs (the one the SQS stand-in uses too). */
const ACCOUNT = '000000000000';
/** Where the SES receipt rule stores raw mail (the email stack's S3 action prefix). */
const INBOUND_PREFIX = 'inbound/';

/**
 * Starts the whole backend on loopback: DynamoDB Local, the SQS/S3 stand-in, the SES, EventBridge
 * and Step Functions stand-ins and an SMTP server in SES receiving's place; the tables, buckets,
 * queues and state machines of the synthesized template; the demo staff; the API behind a local API
 * Gateway; every event source mapping of the template (queues and table streams) polling its real
 * handler; and the Kinesis mappings of Connect's agent event stream, fed by
 * `POST /local/connect/agent-events`.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  if (dataDir && options.reset) rmSync(dataDir, { recursive: true, force: true });
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const stoppers: Stoppers = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch((error) => console.error(error));
  };
  try {
    const services = await startServices(options, dataDir, stoppers);
    pointSdkAtServices(services);
    const resources = await provisionResources(services, dataDir, stoppers);
    const deliveries = await startDeliveries(options, dataDir, services, resources, stoppers);
    const api = await startApi(options, { dataDir, services, resources, deliveries }, stoppers);
    const { dynamo, fauxqs, events, stepFunctions } = services;
    // Last, once every handler's resources exist: executions left running by the previous run go on.
    stepFunctions.resumeExecutions();
    // And first to stop (again; stopping twice is fine): no execution calls a handler whose resources are going away.
    stoppers.push(stepFunctions.stop);

    return {
      apiUrl: api.url,
      sesUrl: services.sesUrl,
      eventsUrl: events.url,
      stepFunctionsUrl: stepFunctions.url,
      smtpPort: deliveries.smtp.port,
      dynamoDbUrl: dynamo.endpoint,
      fauxqsUrl: fauxqs.address,
      dynamoDbPid: dynamo.pid,
      describe: () => describeRuntime(options, { dataDir, services, deliveries, api }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What stops the runtime's parts, in the order they started; they run in reverse. */
type Stoppers = (() => Promise<void>)[];
type CloudModel = ReturnType<typeof readCloudModel>;

/** The stand-in services, the cloud model of the synthesized template and its function loader. */
interface Services {
  /** The synthesized stacks, for what the deployment itself writes (custom resources). */
  templates: Awaited<ReturnType<typeof synthesizeTemplates>>;
  model: CloudModel;
  functions: FunctionLoader;
  dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>>;
  fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  sesUrl: string;
  events: Awaited<ReturnType<typeof startEventBridgeLocal>>;
  stepFunctions: StepFunctionsLocal;
  connect: Awaited<ReturnType<typeof startConnectLocal>>;
  /** Set once the template's rules are running (see startDeliveries). */
  publishContactEvents: (events: ConnectContactEvent[]) => Promise<unknown>;
}

/** Starts the stand-ins while the CDK app synthesizes, then reads the template. */
async function startServices(options: LocalRuntimeOptions, dataDir: string | null, stoppers: Stoppers): Promise<Services> {
  const synthesis = Promise.resolve().then(() => synthesizeTemplates(options.context));
  // DynamoDB Local takes its port as given, so 0 is turned into a free one here.
  const dynamo = await startDynamoDbLocal({
    port: options.dynamoDbPort === 0 ? await freePort() : options.dynamoDbPort,
    dataDir: dataDir ? join(dataDir, 'dynamodb') : null,
  });
  stoppers.push(dynamo.stop);
  const fauxqs = await startFauxqsOnLoopback({ port: options.fauxqsPort, host: '127.0.0.1', logger: false, defaultRegion: REGION });
  stoppers.push(() => fauxqs.stop());
  const mailFile = dataDir ? join(dataDir, 'ses', 'mail.json') : null;
  const ses = await startSesLocal({ port: options.sesPort, mailFile });
  // The viewer shows customers' mail on a fixed port: a page elsewhere must not read it through DNS rebinding.
  guardLoopbackHost(ses);
  stoppers.push(() => closeServer(ses));
  // Registered after the stand-in, so it runs before the stand-in stops (stoppers run in reverse).
  if (mailFile) stoppers.push(async () => saveMail(mailFile));
  const sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
  const templates = await synthesis;
  const model = readCloudModel(templates);
  const eventsFile = dataDir ? join(dataDir, 'eventbridge', 'events.json') : null;
  const events = await startEventBridgeLocal({
    port: options.eventsPort ?? 0,
    eventBuses: model.eventBuses.map((bus) => bus.localName),
    initialEvents: eventsFile ? readEvents(eventsFile) : [],
  });
  stoppers.push(events.stop);
  if (eventsFile) stoppers.push(async () => writeAtomically(eventsFile, JSON.stringify(events.events())));
  const functions = new FunctionLoader(model);
  const stepFunctions = await startStepFunctionsLocal({
    port: options.stepFunctionsPort ?? 0,
    dataDir: dataDir ? join(dataDir, 'stepfunctions') : null,
    region: REGION,
    account: ACCOUNT,
    invokeFunction: functionInvoker(model, functions, { region: REGION, account: ACCOUNT }),
    // One line per execution start and end with request logging on (npm start); otherwise (tests,
    // benchmarks) only the failures.
    log: (line) => {
      if (options.logRequests || /\b(failed|timed out)\b/.test(line)) console.log(line);
    },
  });
  stoppers.push(stepFunctions.stop);
  const services: Omit<Services, 'connect'> = {
    templates,
    model,
    functions,
    dynamo,
    fauxqs,
    sesUrl,
    events,
    stepFunctions,
    publishContactEvents: async () => undefined,
  };
  // Outbound calls (callbacks) end in contact events, which go through the template's rules like
  // Connect's own; the rules exist once the functions' environment does, hence the late binding.
  const connect = await startConnectLocal({
    port: 0,
    region: REGION,
    account: ACCOUNT,
    instanceArn: String(options.context?.['switchboard:connectInstanceArn'] ?? LOCAL_CONNECT_CONTEXT['switchboard:connectInstanceArn']),
    publish: async (contactEvents) => {
      await services.publishContactEvents(contactEvents);
    },
    log: (line) => console.log(line),
  });
  stoppers.push(connect.stop);
  return Object.assign(services, { connect });
}

/** The handlers' SDK clients find the stand-ins through the SDK's own endpoint settings. */
function pointSdkAtServices({ dynamo, fauxqs, sesUrl, events, stepFunctions, connect }: Services): void {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs.address,
    AWS_ENDPOINT_URL_S3: fauxqs.address,
    AWS_ENDPOINT_URL_SESV2: sesUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: events.url,
    AWS_ENDPOINT_URL_SFN: stepFunctions.url,
    AWS_ENDPOINT_URL_CONNECT: connect.url,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });
}

/** The template's tables, buckets, queues, buses, streams and state machines, and the demo staff. */
interface Resources {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
  queues: ReturnType<typeof provisionQueues>;
  documents: DynamoDBDocumentClient;
  agentStateTable: string;
}

/** Creates what the template declares in the stand-ins (restoring persisted objects) and seeds the demo staff. */
async function provisionResources(
  { templates, model, fauxqs, stepFunctions }: Services,
  dataDir: string | null,
  stoppers: Stoppers,
): Promise<Resources> {
  const dynamodb = new DynamoDBClient({});
  const s3 = new S3Client({ forcePathStyle: true });
  // Queue URLs name a host (sqs.<region>.127.0.0.1) that does not resolve: send to the endpoint instead.
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  await provisionTables(dynamodb, model);
  await provisionBuckets(s3, model);
  if (dataDir) {
    const bucketNames = model.buckets.map((bucket) => bucket.localName);
    const objectsDir = join(dataDir, 's3');
    await restoreObjects(s3, objectsDir, bucketNames);
    // Registered after the stand-in itself, so it runs before the stand-in stops.
    stoppers.push(async () => {
      await saveObjects(s3, objectsDir, bucketNames);
    });
  }
  const queues = provisionQueues(fauxqs, model, REGION);
  if (dataDir) {
    const messagesFile = join(dataDir, 'sqs', 'messages.json');
    const queueNames = model.queues.map((queue) => queue.localName);
    const urls = new Map(
      model.queues.flatMap((queue) => {
        const url = queues.get(queue.logicalId)?.url;
        return url ? [[queue.localName, url] as const] : [];
      }),
    );
    await restoreQueueMessages(sqs, urls, messagesFile);
    // Registered after the stand-in and before the pollers: it runs once they have stopped, before the stand-in does.
    stoppers.push(async () => {
      saveQueueMessages(fauxqs, queueNames, messagesFile);
    });
  }
  for (const bus of model.eventBuses) {
    const arn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${bus.localName}`;
    model.bind(bus.logicalId, { ref: bus.localName, attributes: { Arn: arn, Name: bus.localName } });
  }
  for (const stream of model.kinesisStreams) {
    model.bind(stream.logicalId, { ref: stream.localName, attributes: { Arn: kinesisStreamArn(stream.localName) } });
  }
  bindStateMachines(model, stepFunctions.registerStateMachine, { region: REGION, account: ACCOUNT });
  // What the deployment writes through custom resources (the SLA defaults), as CloudFormation would.
  await runDeployTimeCalls(templates, model, dynamodb);

  const agentStateTable = model.tables.find((table) => table.localName === 'AgentStateTable');
  if (!agentStateTable) throw new Error('the template has no AgentStateTable');
  const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  await seedDemoData(documents, agentStateTable.localName, new Date().toISOString());
  return { dynamodb, s3, sqs, queues, documents, agentStateTable: agentStateTable.localName };
}

/** How events reach the functions: event source pollers, agent events, rules and schedules, contact flows, inbound mail. */
interface Deliveries {
  agentEvents: KinesisDelivery | null;
  rules: EventRuleDelivery;
  connectFunctions: Map<string, ContactFlowFunction>;
  smtp: Awaited<ReturnType<typeof startSmtpInbound>>;
}

async function startDeliveries(
  options: LocalRuntimeOptions,
  dataDir: string | null,
  services: Services,
  { dynamodb, s3, sqs, queues }: Resources,
  stoppers: Stoppers,
): Promise<Deliveries> {
  const { model, functions } = services;
  functions.applyEnvironment();
  const positions = new EventSourcePositions(dataDir ? join(dataDir, 'event-sources', 'positions.json') : null);
  // Registered before the pollers, so it runs once they have all stopped.
  stoppers.push(async () => positions.saveNow());
  stoppers.push(...(await startEventSources(model, functions, { dynamodb, sqs, queues }, positions)));
  const agentEvents = await agentEventDelivery(model, functions);
  const rules = new EventRuleDelivery(model, functions, { region: REGION, account: ACCOUNT, log: (line) => console.log(line) });
  services.publishContactEvents = (contactEvents) => rules.deliver(contactEvents.map((event) => rules.envelope(event)));
  stoppers.push(rules.startSchedules(options.scheduleIntervalMs ?? null));
  const connectFunctions = contactFlowFunctions(model, functions);

  const smtp = await startSmtpInbound({
    port: options.smtpPort,
    onMail: inboundMailDelivery({ model, s3, sqs, queues, region: REGION, prefix: INBOUND_PREFIX }),
  });
  stoppers.push(smtp.stop);
  return { agentEvents, rules, connectFunctions, smtp };
}

interface Api {
  url: string;
  gateway: LocalApiGateway;
}

/** The API behind the local API Gateway, and the local-only routes under `/local/`. */
async function startApi(
  options: LocalRuntimeOptions,
  parts: { dataDir: string | null; services: Services; resources: Resources; deliveries: Deliveries },
  stoppers: Stoppers,
): Promise<Api> {
  const { model, functions, connect, events } = parts.services;
  const { documents, agentStateTable } = parts.resources;
  const { agentEvents, rules, connectFunctions } = parts.deliveries;
  const auth = createLocalAuth(parts.dataDir);
  const apiMethods = await Promise.all(
    model.apiMethods.map(async (method) => ({
      ...method,
      handler: await functions.handler<ProxyHandler>(method.functionLogicalId),
      functionName: functions.nameOf(method.functionLogicalId),
    })),
  );
  const gateway = new LocalApiGateway(apiMethods, auth);
  const server = createServer((request, response) => {
    const started = Date.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const refused = refusal(request, url);
    if (refused) {
      sendRefusal(response, refused);
      request.resume();
      return;
    }
    const limit = url.pathname.startsWith('/local/') ? LOCAL_MAX_BODY_BYTES : GATEWAY_MAX_BODY_BYTES;
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) chunks.push(chunk);
      else if (!response.headersSent) sendRefusal(response, tooLarge(limit));
    });
    request.on('end', () => {
      if (received > limit) return;
      const body = Buffer.concat(chunks);
      const handled = url.pathname.startsWith('/local/')
        ? handleLocalRoute({
            request,
            response,
            body,
            url,
            auth,
            documents,
            agentStateTable,
            agentEvents,
            rules,
            connectFunctions,
            connect,
            events: events.events,
          })
        : gateway.handle(request, response, body, url);
      handled
        .then((status) => {
          if (options.logRequests)
            console.log(`[api] ${request.method} ${url.pathname}${url.search} → ${status} (${Date.now() - started} ms)`);
        })
        .catch((error) => {
          console.error('[api] request failed', error);
          if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ error: { code: 'internal_error', message: 'the local runtime failed' } }));
        });
    });
  });
  await new Promise<void>((resolveListen) => server.listen(options.port, '127.0.0.1', resolveListen));
  stoppers.push(() => closeServer(server));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, gateway };
}

/** The configured inbound addresses, as the email-intake function's environment has them. */
function inboundAddressesOf(model: CloudModel): string {
  const environment = [...model.functions.values()].find((fn) => ENV.mailInboundAddresses.name in fn.environment)?.environment ?? {};
  const domain = environment[ENV.mailDomain.name];
  const addresses = environment[ENV.mailInboundAddresses.name];
  if (typeof domain !== 'string' || typeof addresses !== 'string') return 'the configured addresses';
  return Object.keys(ENV.mailInboundAddresses.parse(addresses))
    .map((local) => `${local}@${domain}`)
    .join(', ');
}

/** Human lines describing every endpoint, printed when ready. */
function describeRuntime(
  options: LocalRuntimeOptions,
  { dataDir, services, deliveries, api }: { dataDir: string | null; services: Services; deliveries: Deliveries; api: Api },
): string[] {
  const { model, functions, dynamo, fauxqs, sesUrl, events, stepFunctions, connect } = services;
  const { agentEvents, rules, connectFunctions, smtp } = deliveries;
  const apiUrl = api.url;
  const agentEventStream = agentEventSources(model)?.stream.logicalId;
  return [
    ...api.gateway
      .listRoutes()
      .map((route) => `${route.method.padEnd(6)} ${apiUrl}${route.resource}${route.authorization === 'NONE' ? '  (no token)' : ''}`),
    `POST   ${apiUrl}/local/token  {"username":"admin"} → a token for a seeded user (local only)`,
    `SMTP inbound      smtp://127.0.0.1:${smtp.port}  (mail to ${inboundAddressesOf(model)})`,
    ...(agentEvents
      ? [
          `POST   ${apiUrl}/local/connect/agent-events  [agent event, …] → Kinesis records to ${agentEvents.targets.map((target) => target.functionName).join(', ')} (local only)`,
        ]
      : []),
    ...[...connectFunctions.keys()].map(
      (name) => `POST   ${apiUrl}/local/connect/${name}  {contact flow event} → the function's map (local only)`,
    ),
    ...rules
      .patternRules()
      .map(
        ({ functionNames }) =>
          `POST   ${apiUrl}/local/connect/contact-events  [EventBridge event, …] → ${functionNames.join(', ')} (local only)`,
      ),
    ...rules
      .scheduledRules(options.scheduleIntervalMs ?? null)
      .map(
        ({ rule, everyMs, functionNames }) =>
          `Schedule          ${rule.scheduleExpression} → ${functionNames.join(', ')}${everyMs === null ? '  (not run locally)' : `  (every ${everyMs / 1000} s locally)`}`,
      ),
    `Connect outbound  ${connect.url}  (StartOutboundVoiceContact; GET ${apiUrl}/local/connect/outbound lists the calls, POST …/outbound/{contactId} {"outcome":"answered"|"no_answer"} ends one)`,
    `SES outbox viewer ${sesUrl}  (captured mail as JSON at ${sesUrl}/store)`,
    `EventBridge       ${events.url}  (put events as JSON at ${events.url}/events?detailType=&source=)`,
    ...describeStateMachines(stepFunctions),
    ...model.eventSources.map(
      (source) =>
        `Trigger           ${source.kind} ${source.sourceLogicalId} → ${functions.nameOf(source.functionLogicalId)}` +
        (source.kind !== 'kinesis'
          ? ''
          : source.sourceLogicalId === agentEventStream
            ? '  (delivered by POST /local/connect/agent-events)'
            : '  (no Kinesis locally: not delivered)'),
    ),
    `DynamoDB Local    ${dynamo.endpoint}  (pid ${dynamo.pid})`,
    `SQS/S3 stand-in   ${fauxqs.address}`,
    `Data              ${dataDir ?? 'in memory'}`,
  ];
}

/** Starts a poller for every event source mapping of the template; returns their stoppers. */
async function startEventSources(
  model: CloudModel,
  functions: FunctionLoader,
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient; queues: Map<string, { url: string; arn: string }> },
  positions: EventSourcePositions,
): Promise<(() => Promise<void>)[]> {
  const streams = new DynamoDBStreamsClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
  const stoppers: (() => Promise<void>)[] = [];
  for (const source of model.eventSources) {
    for (const pattern of source.filters) assertSupportedPattern(pattern);
    const functionName = functions.nameOf(source.functionLogicalId);
    // There is no Kinesis stand-in: Kinesis records are delivered by hand (agentEventDelivery).
    if (source.kind === 'kinesis') continue;
    if (source.kind === 'sqs') {
      const queue = clients.queues.get(source.sourceLogicalId);
      if (!queue) throw new Error(`event source ${source.sourceLogicalId} is not a provisioned queue`);
      const poller = new SqsPoller(clients.sqs, { ...queue, region: REGION }, await functions.handler(source.functionLogicalId), {
        batchSize: source.batchSize,
        reportBatchItemFailures: source.reportBatchItemFailures,
        functionName,
      });
      poller.start();
      stoppers.push(() => poller.stop());
    } else {
      const table = model.tables.find((candidate) => candidate.logicalId === source.sourceLogicalId);
      if (!table) throw new Error(`event source ${source.sourceLogicalId} is not a table`);
      const poller = new StreamPoller(
        clients.dynamodb,
        streams,
        table.localName,
        await functions.handler(source.functionLogicalId),
        {
          batchSize: source.batchSize,
          filters: source.filters,
          functionName,
          region: REGION,
        },
        positions,
      );
      poller.start();
      stoppers.push(() => poller.stop());
    }
  }
  return stoppers;
}

/** The functions Connect's agent event stream triggers, ready for `POST /local/connect/agent-events`; null without any. */
async function agentEventDelivery(model: ReturnType<typeof readCloudModel>, functions: FunctionLoader): Promise<KinesisDelivery | null> {
  const found = agentEventSources(model);
  if (!found) return null;
  const targets = await Promise.all(
    found.sources.map(async (source) => {
      for (const pattern of source.filters) assertSupportedPattern(pattern);
      const functionName = functions.nameOf(source.functionLogicalId);
      return {
        handler: await functions.handler<KinesisHandler>(source.functionLogicalId),
        functionName,
        invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/${functionName}-role`,
        batchSize: source.batchSize,
        reportBatchItemFailures: source.reportBatchItemFailures,
        bisectBatchOnFunctionError: source.bisectBatchOnFunctionError,
        filters: source.filters,
      };
    }),
  );
  return new KinesisDelivery({ arn: kinesisStreamArn(found.stream.localName), region: REGION }, targets);
}

/** One start-up line per state machine: the endpoint and its executions by status. */
function describeStateMachines(stepFunctions: StepFunctionsLocal): string[] {
  const machines = stepFunctions.stateMachines();
  const counts = (machine: StateMachineSummary) => {
    const byStatus = Object.entries(machine.executions).map(([status, count]) => `${count} ${status.toLowerCase().replace('_', ' ')}`);
    const total = Object.values(machine.executions).reduce((sum, count) => sum + count, 0);
    return total === 0 ? 'no executions' : `${total} execution${total === 1 ? '' : 's'}: ${byStatus.join(', ')}`;
  };
  if (machines.length === 0) return [`Step Functions    ${stepFunctions.url}  (no state machines in the template)`];
  return machines.map((machine) => `Step Functions    ${stepFunctions.url}  (state machine ${machine.name}: ${counts(machine)})`);
}

/**
 * The functions the Connect instance may call from its flows (the template's integration
 * associations), by their entry file's name, for `POST /local/connect/{name}`.
 */
function contactFlowFunctions(model: ReturnType<typeof readCloudModel>, functions: FunctionLoader): Map<string, ContactFlowFunction> {
  const found = new Map<string, ContactFlowFunction>();
  for (const logicalId of model.contactFlowFunctionIds) {
    const fn = model.functions.get(logicalId);
    if (!fn) continue;
    const name = basename(fn.entry, '.ts');
    found.set(name, {
      handler: () => functions.handler(fn.logicalId),
      context: () =>
        lambdaContext({
          functionName: fn.localName,
          functionArn: functionArn({ region: REGION, account: ACCOUNT }, fn.localName),
          timeoutMs: fn.timeoutSeconds * 1000,
        }),
    });
  }
  return found;
}

function kinesisStreamArn(streamName: string): string {
  return `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${streamName}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections?.();
  });
}

/** API Gateway's own payload limit (10 MB); our handlers enforce their smaller one (256 KiB) themselves. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The local routes take events and tokens requests, never files. */
const LOCAL_MAX_BODY_BYTES = 1024 * 1024;

interface Refusal {
  status: number;
  code: string;
  message: string;
}

function tooLarge(limit: number): Refusal {
  return { status: 413, code: 'payload_too_large', message: `the body is larger than ${limit / (1024 * 1024)} MiB` };
}

/**
 * What the local runtime refuses before reading a body: a Host that is not loopback (a web page
 * elsewhere rebinding its name to 127.0.0.1 would otherwise reach the data with the visitor's
 * browser), a declared body over the limit, and on `/local/*` a body that is not declared JSON (a
 * plain HTML form cannot send one, so a page cannot post to these token-less routes).
 */
function refusal(request: IncomingMessage, url: URL): Refusal | null {
  if (!hasLoopbackHost(request)) {
    return {
      status: 403,
      code: 'forbidden',
      message: `the local runtime answers only requests for 127.0.0.1 or localhost, not '${request.headers.host ?? ''}'`,
    };
  }
  const isLocal = url.pathname.startsWith('/local/');
  const limit = isLocal ? LOCAL_MAX_BODY_BYTES : GATEWAY_MAX_BODY_BYTES;
  if (Number(request.headers['content-length'] ?? 0) > limit) return tooLarge(limit);
  const hasBody =
    request.headers['content-length'] !== undefined
      ? request.headers['content-length'] !== '0'
      : request.headers['transfer-encoding'] !== undefined;
  const json = /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
  if (isLocal && hasBody && !json) {
    return { status: 415, code: 'unsupported_media_type', message: 'the local routes take JSON: send Content-Type: application/json' };
  }
  return null;
}

/**
 * Answers a refusal at once. The rest of a body still coming is read and dropped, not kept: closing
 * the connection instead would make many clients (Node's among them) fail on their unsent bytes
 * without reading the answer.
 */
function sendRefusal(response: ServerResponse, { status, code, message }: Refusal): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ error: { code, message } }));
}

/**
 * fauxqs's `startFauxqs` listens on 0.0.0.0 whatever `host` says (that option only names the host
 * of queue URLs), which would put the queues and buckets on every network the machine is on. Its
 * one listen call is pointed at loopback instead.
 */
async function startFauxqsOnLoopback(options: Parameters<typeof startFauxqs>[0]): Promise<FauxqsServer> {
  const listen = NetServer.prototype.listen;
  NetServer.prototype.listen = function (this: NetServer, ...args: unknown[]) {
    const [first] = args;
    if (first && typeof first === 'object' && (first as { host?: unknown }).host === '0.0.0.0') {
      args[0] = { ...first, host: '127.0.0.1' };
    }
    return (listen as (...listenArgs: unknown[]) => NetServer).apply(this, args);
  } as typeof listen;
  try {
    return await startFauxqs(options);
  } finally {
    NetServer.prototype.listen = listen;
  }
}

/** The events a previous run captured (see the EventBridge stopper); none when the file is missing or unreadable. */
function readEvents(file: string): CapturedEvent[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as CapturedEvent[]) : [];
  } catch {
    return [];
  }
}

/** A temporary file renamed over the target: a crash mid-write keeps the previous file whole. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
