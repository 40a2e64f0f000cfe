import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { percentile, round, timed, type Figure } from './report.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'GetCommand', 'BatchGetCommand']);
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'TransactWriteItemsCommand',
  'PutCommand',
  'UpdateCommand',
  'TransactWriteCommand',
]);

/**
 * Counts the requests the handlers' DynamoDB client sends, by kind: only those sent inside the
 * bench's own handler calls (`ownCalls.run`), not the routing functions' that the running runtime
 * invokes on the same client when the new cases reach the cases stream.
 */
const ownCalls = new AsyncLocalStorage<true>();
const counted = { reads: 0, writes: 0 };
let counting = false;
function installCounter(): void {
  if (counting) return;
  counting = true;
  dynamoDocumentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      if (!ownCalls.getStore()) return next(args);
      if (READS.has(command)) counted.reads += 1;
      else if (WRITES.has(command)) counted.writes += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
}

const context = {
  functionName: 'bench',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

function event(
  method: string,
  resource: string,
  path: string,
  body?: unknown,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEvent {
  return {
    resource,
    path,
    httpMethod: method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: pathParameters ?? null,
    stageVariables: null,
    body: body ? JSON.stringify(body) : null,
    isBase64Encoded: false,
    requestContext: {
      authorizer: { claims: { 'cognito:username': 'anna.nowak', 'cognito:groups': 'agents' } },
      requestId: randomUUID(),
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

/**
 * create-case and get-case through the real handler against DynamoDB Local, beside a raw PutItem
 * and GetItem on the same DynamoDB Local in the same run; and the DynamoDB requests each makes.
 */
export async function benchCaseApi(options: { casesTable: string; casesHandler: Handler; iterations: number }): Promise<Figure[]> {
  installCounter();
  const raw = new DynamoDBClient({});
  const { casesTable, casesHandler, iterations } = options;
  const target: RawTarget = { raw, casesTable, iterations };
  const createdIds: string[] = [];
  const create = async (i: number) => {
    const result = await ownCalls.run(true, () => casesHandler(event('POST', '/cases', '/cases', createBody(i)), context));
    if (result.statusCode !== 201) throw new Error(`create-case answered ${result.statusCode}: ${result.body}`);
    createdIds.push((JSON.parse(result.body) as { id: string }).id);
  };
  const get = async (i: number) => {
    const id = createdIds[i % createdIds.length] as string;
    const result = await ownCalls.run(true, () => casesHandler(event('GET', '/cases/{id}', `/cases/${id}`, undefined, { id }), context));
    if (result.statusCode !== 200) throw new Error(`get-case answered ${result.statusCode}: ${result.body}`);
  };
  const rawPut = async (i: number) => {
    await raw.send(new PutItemCommand({ TableName: casesTable, Item: rawItem(i) }));
  };
  const rawGet = async (i: number) => {
    await raw.send(
      new GetItemCommand({ TableName: casesTable, Key: { PK: { S: `BENCH#${i % iterations}` }, SK: { S: 'RAW' } }, ConsistentRead: true }),
    );
  };

  // Warm up the JIT, the connection pools and DynamoDB Local itself (it is a JVM too).
  await timed(100, async (i) => {
    await create(i);
    await rawPut(i);
    await get(i);
    await rawGet(i);
    await rawSameRequests(target, i + 100_000);
  });

  const rawPutSamples = await timed(iterations, rawPut);
  counted.reads = 0;
  counted.writes = 0;
  const createSamples = await timed(iterations, (i) => create(i + 1000));
  const createCost = { reads: counted.reads / iterations, writes: counted.writes / iterations };
  const rawSameSamples = await timed(iterations, (i) => rawSameRequests(target, i + 200_000));
  const rawGetSamples = await timed(iterations, rawGet);
  counted.reads = 0;
  counted.writes = 0;
  const getSamples = await timed(iterations, get);
  const getCost = { reads: counted.reads / iterations, writes: counted.writes / iterations };
  raw.destroy();

  return caseApiFigures({ createSamples, rawPutSamples, rawSameSamples, createCost, getSamples, rawGetSamples, getCost });
}

/** The raw client and the table the raw requests go to; `iterations` bounds the keys they read back. */
interface RawTarget {
  raw: DynamoDBClient;
  casesTable: string;
  iterations: number;
}

/** A create-case body; a returning customer (the common case): 50 customers share the traffic. */
function createBody(i: number) {
  return {
    subject: `Zamówienie ${i} nie dotarło`,
    description: 'Dzień dobry, paczka miała być wczoraj, a śledzenie nic nie pokazuje. '.repeat(4),
    channel: 'email',
    // A returning customer (the common case): 50 customers share the traffic.
    customer: { email: `bench-${i % 50}@example.com`, name: 'Bench Customer' },
  };
}

/** The item a raw PutItem writes: the create-case body as its payload. */
function rawItem(i: number) {
  return {
    PK: { S: `BENCH#${i}` },
    SK: { S: 'RAW' },
    payload: { S: JSON.stringify(createBody(i)) },
  };
}

/**
 * The same DynamoDB requests create-case sends for a returning customer (BatchGet of counter and
 * identity, GetItem of the customer, a 4-item transaction), sent raw: what the handler costs on
 * top of its requests shows in the ratio to this.
 */
async function rawSameRequests({ raw, casesTable, iterations }: RawTarget, i: number): Promise<void> {
  const key = (pk: string) => ({ PK: { S: pk }, SK: { S: 'RAW' } });
  await raw.send(
    new BatchGetItemCommand({
      RequestItems: { [casesTable]: { Keys: [key('RAWCOUNTER'), key(`RAWID#${i % 50}`)], ConsistentRead: true } },
    }),
  );
  await raw.send(new GetItemCommand({ TableName: casesTable, Key: key(`BENCH#${i % iterations}`), ConsistentRead: true }));
  await raw.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Update: {
            TableName: casesTable,
            Key: key('RAWCOUNTER'),
            UpdateExpression: 'ADD #sequence :one',
            ExpressionAttributeNames: { '#sequence': 'sequence' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
        {
          Put: {
            TableName: casesTable,
            Item: {
              ...rawItem(i),
              ...key(`RAWCASE#${i}`),
              GSI1PK: { S: 'C' },
              GSI1SK: { S: `${i}` },
              GSI2PK: { S: 'S' },
              GSI2SK: { S: `${i}` },
              GSI3PK: { S: 'Q' },
              GSI3SK: { S: `${i}` },
              GSI5PK: { S: 'A' },
              GSI5SK: { S: `${i}` },
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { Put: { TableName: casesTable, Item: key(`RAWNUMBER#${i}`), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: casesTable, Item: { ...key(`RAWTIMELINE#${i}`), payload: { S: 'case.created' } } } },
      ],
    }),
  );
}

interface CaseApiSamples {
  createSamples: number[];
  rawPutSamples: number[];
  rawSameSamples: number[];
  createCost: { reads: number; writes: number };
  getSamples: number[];
  rawGetSamples: number[];
  getCost: { reads: number; writes: number };
}

function caseApiFigures({
  createSamples,
  rawPutSamples,
  rawSameSamples,
  createCost,
  getSamples,
  rawGetSamples,
  getCost,
}: CaseApiSamples): Figure[] {
  const p = (samples: number[], q: number) => round(percentile(samples, q));
  return [
    { name: 'create-case p50', value: p(createSamples, 50), unit: 'ms' },
    { name: 'create-case p99', value: p(createSamples, 99), unit: 'ms' },
    { name: 'raw PutItem p50', value: p(rawPutSamples, 50), unit: 'ms' },
    { name: 'raw PutItem p99', value: p(rawPutSamples, 99), unit: 'ms' },
    {
      name: 'create-case / PutItem p50 ratio',
      value: round(percentile(createSamples, 50) / percentile(rawPutSamples, 50)),
      unit: 'x',
      target: '<= 3',
    },
    { name: 'raw same requests as create-case p50', value: p(rawSameSamples, 50), unit: 'ms' },
    {
      name: 'create-case / raw same requests p50 ratio',
      value: round(percentile(createSamples, 50) / percentile(rawSameSamples, 50)),
      unit: 'x',
    },
    { name: 'create-case DynamoDB writes', value: round(createCost.writes), unit: 'requests', target: '1' },
    { name: 'create-case DynamoDB reads', value: round(createCost.reads), unit: 'requests', target: '<= 2' },
    { name: 'get-case p50', value: p(getSamples, 50), unit: 'ms' },
    { name: 'get-case p99', value: p(getSamples, 99), unit: 'ms' },
    { name: 'raw GetItem p50', value: p(rawGetSamples, 50), unit: 'ms' },
    { name: 'raw GetItem p99', value: p(rawGetSamples, 99), unit: 'ms' },
    {
      name: 'get-case / GetItem p50 ratio',
      value: round(percentile(getSamples, 50) / percentile(rawGetSamples, 50)),
      unit: 'x',
      target: '<= 3',
    },
    { name: 'get-case DynamoDB reads', value: round(getCost.reads), unit: 'requests', target: '1' },
    { name: 'get-case DynamoDB writes', value: round(getCost.writes), unit: 'requests', target: '0' },
  ];
}
