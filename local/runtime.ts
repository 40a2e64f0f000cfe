import './sdk-environment.js';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startFauxqs } from 'fauxqs';
import { LocalApiGateway, type ProxyHandler } from './api-gateway.js';
import { readCloudModel } from './cloud-template.js';
import { createLocalAuth } from './local-auth.js';
import { handleLocalRoute } from './local-routes.js';
import { provisionBuckets, provisionTables } from './provision.js';
import { seedDemoData } from './seed.js';
import { startDynamoDbLocal } from './services/dynamodb-local.js';
import { startSesLocal } from './services/ses-local.js';
import { synthesizeTemplates } from './synthesize.js';

export interface LocalRuntimeOptions {
  /** API port; 0 picks a free one. */
  port: number;
  sesPort: number;
  dynamoDbPort: number;
  fauxqsPort: number;
  /** Where state persists; null keeps everything in memory (tests). */
  dataDir: string | null;
  /** Wipe the data directory first. */
  reset: boolean;
  /** Print one line per API request. */
  logRequests: boolean;
}

export interface LocalRuntime {
  apiUrl: string;
  sesUrl: string;
  dynamoDbUrl: string;
  fauxqsUrl: string;
  dynamoDbPid: number;
  /** Human lines describing every endpoint, printed when ready. */
  describe(): string[];
  stop(): Promise<void>;
}

/** Local AWS settings: a fixed region and dummy credentials; the stand-ins accept any. */
const REGION = 'eu-central-1';

/**
 * Starts the whole backend on loopback: DynamoDB Local, the SQS/S3 stand-in, the SES stand-in,
 * the tables and buckets of the synthesized template, the demo staff, and the API served by the
 * real handlers behind a local API Gateway.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  if (dataDir && options.reset) rmSync(dataDir, { recursive: true, force: true });
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch((error) => console.error(error));
  };
  try {
    const synthesis = Promise.resolve().then(synthesizeTemplates);
    const dynamo = await startDynamoDbLocal({ port: options.dynamoDbPort, dataDir: dataDir ? join(dataDir, 'dynamodb') : null });
    stoppers.push(dynamo.stop);
    const fauxqs = await startFauxqs({ port: options.fauxqsPort, host: '127.0.0.1', logger: false, defaultRegion: REGION });
    stoppers.push(() => fauxqs.stop());
    const ses = await startSesLocal({ port: options.sesPort });
    stoppers.push(() => closeServer(ses));
    const sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;

    // The handlers' SDK clients find the stand-ins through the SDK's own endpoint settings.
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: fauxqs.address,
      AWS_ENDPOINT_URL_S3: fauxqs.address,
      AWS_ENDPOINT_URL_SESV2: sesUrl,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });

    const model = readCloudModel(await synthesis);
    const dynamodb = new DynamoDBClient({});
    const s3 = new S3Client({ forcePathStyle: true });
    await provisionTables(dynamodb, model);
    await provisionBuckets(s3, model);

    const agentStateTable = model.tables.find((table) => table.localName === 'AgentStateTable');
    if (!agentStateTable) throw new Error('the template has no AgentStateTable');
    const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
    await seedDemoData(documents, agentStateTable.localName, new Date().toISOString());

    const auth = createLocalAuth(dataDir);
    const gateway = new LocalApiGateway(await loadApiHandlers(model), auth);
    const server = createServer((request, response) => {
      const started = Date.now();
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const handled = url.pathname.startsWith('/local/')
          ? handleLocalRoute({ request, response, body, url, auth, documents, agentStateTable: agentStateTable.localName })
          : gateway.handle(request, response, body, url);
        handled
          .then((status) => {
            if (options.logRequests) console.log(`[api] ${request.method} ${url.pathname}${url.search} → ${status} (${Date.now() - started} ms)`);
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
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    return {
      apiUrl,
      sesUrl,
      dynamoDbUrl: dynamo.endpoint,
      fauxqsUrl: fauxqs.address,
      dynamoDbPid: dynamo.pid,
      describe: () => [
        ...gateway
          .listRoutes()
          .map((route) => `${route.method.padEnd(6)} ${apiUrl}${route.resource}${route.authorization === 'NONE' ? '  (no token)' : ''}`),
        `POST   ${apiUrl}/local/token  {"username":"admin"} → a token for a seeded user (local only)`,
        `SES outbox viewer ${sesUrl}  (captured mail as JSON at ${sesUrl}/store)`,
        `DynamoDB Local    ${dynamo.endpoint}  (pid ${dynamo.pid})`,
        `SQS/S3 stand-in   ${fauxqs.address}`,
        `Data              ${dataDir ?? 'in memory'}`,
      ],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Imports each API function's entry (the TypeScript source) and pairs it with the methods it serves. */
async function loadApiHandlers(model: ReturnType<typeof readCloudModel>) {
  const repoRoot = resolve(import.meta.dirname, '..');
  for (const fn of model.functions.values()) {
    for (const [name, value] of Object.entries(fn.environment)) {
      const resolved = model.resolve(value, fn.stackName);
      if (process.env[name] !== undefined && process.env[name] !== resolved && name !== 'NODE_OPTIONS') {
        throw new Error(`functions disagree on ${name}: ${process.env[name]} vs ${resolved}`);
      }
      if (name !== 'NODE_OPTIONS') process.env[name] = resolved;
    }
  }
  const handlers = new Map<string, ProxyHandler>();
  return Promise.all(
    model.apiMethods.map(async (method) => {
      const fn = model.functions.get(method.functionLogicalId);
      if (!fn) throw new Error(`API method ${method.method} ${method.resource} targets unknown function ${method.functionLogicalId}`);
      if (!handlers.has(fn.logicalId)) {
        const module = (await import(pathToFileURL(join(repoRoot, fn.entry)).href)) as Record<string, unknown>;
        const handler = module[fn.exportName];
        if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export ${fn.exportName}`);
        handlers.set(fn.logicalId, handler as ProxyHandler);
      }
      return { ...method, handler: handlers.get(fn.logicalId) as ProxyHandler, functionName: fn.logicalId };
    }),
  );
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections?.();
  });
}
