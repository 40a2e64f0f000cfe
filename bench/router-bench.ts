import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type AttributeValue, DynamoDBClient, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoAgentStore } from '#agents/adapters/dynamodb/agent-store';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { agentListPartition, agentStateKey } from '#agents/adapters';
import { workItemFromItem, workItemKey } from '#routing/adapters';
import { DynamoRoutingStore } from '#routing/adapters/dynamodb/routing-store';
import { type RoutingMessage, snapshotOf } from '#routing/adapters/sqs/routing-message';
import { routingQueueUrlVariable } from '#platform/adapters/env-variables';
import type { Agent } from '#agents/domain/agent';
import type { Channel, Priority } from '#cases/domain/case';
import type { WorkRecord } from '#routing/domain/routing-ports';
import { type WorkItem } from '#routing/domain/work-item';
import { DEMO_CHANNEL_WEIGHTS } from '../test/support/demo-settings.js';
import { percentile, round, type Figure } from './report.js';

type RouteHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;
type Item = Record<string, unknown>;

/** Messages per invocation and invocations at once: the router's SQS event source (lib/stacks/routing-stack.ts). */
const BATCH_SIZE = 10;
const CONCURRENCY = 5;
/** Items routed before anything is measured (JIT, connection pools, DynamoDB Local's JVM). */
const WARMUP_ITEMS = 50;
/** A message the handler reports failed is delivered again at most this often, as SQS would before its DLQ. */
const MAX_RECEIVES = 5;

/** DynamoDB requests by kind, with the transactions that DynamoDB cancelled. */
interface Tally {
  transactions: number;
  cancelledTransactions: number;
  /** Cancelled because another transaction held an item at that moment (not a failed condition). */
  conflicts: number;
  queries: number;
  gets: number;
  otherWrites: number;
  /** Writes outside a transaction whose condition failed. */
  failedWrites: number;
  other: number;
}
const KIND: Record<string, Exclude<keyof Tally, 'cancelledTransactions' | 'conflicts' | 'failedWrites'>> = {
  TransactWriteItemsCommand: 'transactions',
  TransactWriteCommand: 'transactions',
  QueryCommand: 'queries',
  GetItemCommand: 'gets',
  GetCommand: 'gets',
  BatchGetItemCommand: 'gets',
  BatchGetCommand: 'gets',
  PutItemCommand: 'otherWrites',
  PutCommand: 'otherWrites',
  UpdateItemCommand: 'otherWrites',
  UpdateCommand: 'otherWrites',
  DeleteItemCommand: 'otherWrites',
  DeleteCommand: 'otherWrites',
  BatchWriteItemCommand: 'otherWrites',
  BatchWriteCommand: 'otherWrites',
};
const emptyTally = (): Tally => ({
  transactions: 0,
  cancelledTransactions: 0,
  conflicts: 0,
  queries: 0,
  gets: 0,
  otherWrites: 0,
  failedWrites: 0,
  other: 0,
});
const requestsOf = (tally: Tally) => tally.transactions + tally.queries + tally.gets + tally.otherWrites + tally.other;

/**
 * Which tally a request of the shared client belongs to: the router invocations of this bench run
 * inside `attributed.run(tally, …)`, and the context follows every await down to the SDK's
 * middleware. Everything else the running runtime does meanwhile (its pollers, relay, drains and
 * rechecks share the same client in this process) lands in `background`; those of its requests
 * that name anything of the run (`watched`, the run's id) are listed in `touching`.
 */
const attributed = new AsyncLocalStorage<Tally>();
let background = emptyTally();
let watched: string | null = null;
const touching: string[] = [];
let installed = false;
function installCounter(): void {
  if (installed) return;
  installed = true;
  dynamoDocumentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const own = attributed.getStore();
      const tally = own ?? background;
      tally[KIND[command] ?? 'other'] += 1;
      if (!own && watched && safeJson(args.input).includes(watched)) touching.push(`${command} ${safeJson(args.input).slice(0, 200)}`);
      try {
        return await next(args);
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'TransactionCanceledException') {
          tally.cancelledTransactions += 1;
          const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
          if (reasons.some((reason) => reason.Code === 'TransactionConflict')) tally.conflicts += 1;
        } else if (name === 'ConditionalCheckFailedException') {
          tally.failedWrites += 1;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'benchRouterRequestCounter' },
  );
}

/** The channel, priority and skills of the i-th item: mostly email, some chat and phone. */
function itemShape(i: number): { channel: Channel; priority: Priority } {
  const channel: Channel = i % 20 < 12 ? 'email' : i % 20 < 17 ? 'chat' : 'phone';
  const priority: Priority = i % 10 === 0 ? 'high' : i % 25 === 1 ? 'urgent' : 'normal';
  return { channel, priority };
}

function sqsRecord(message: RoutingMessage, queueArn: string, receiveCount = 1): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: JSON.stringify(message),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: now,
      SenderId: 'bench',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: process.env.AWS_REGION ?? 'eu-central-1',
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chunks = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/**
 * Bench (a), the live router: the real SQS handler of the routing queues
 * (`functions/routing/handlers/route-work.ts`) invoked in this process against the local stand-ins
 * (DynamoDB Local), on work items and agents of a queue, language and topic of this run only.
 *
 * - Agents: `agents` (30) available agents, seeded with `DynamoAgentStore.putAgent`.
 * - Items: written with `DynamoRoutingStore.enqueue`; `route` messages built from their snapshots
 *   and handed to the handler in batches of 10, five batches at a time (the deployed event source).
 *   The run's queue gets its own routing-queue URL variable, pointing at a sink queue nobody polls,
 *   so the runtime's relay (which answers every enqueue with a route message of its own and every
 *   offer with an offer-timeout message) never starts a second router on these items.
 * - Counted: the DynamoDB requests sent inside the bench's own handler invocations (an
 *   AsyncLocalStorage context, not the whole client), per successful assignment.
 * - Reference: one item at a time through the handler beside a raw TransactWriteItems of two
 *   updates, and beside the same requests the router sends (the staff query and the reservation
 *   with a real decision record), sent raw, interleaved in the same run.
 * - Checked: every item offered exactly once (one successful reservation per item, its owner a
 *   run agent, the relay's offer-timeout messages one per item) and every agent's load equal to
 *   the weights it holds and within its capacity.
 */
export async function benchRouter(options: {
  agentStateTable: string;
  routeHandler: RouteHandler;
  items: number;
  iterations: number;
  agents?: number;
}): Promise<Figure[]> {
  installCounter();
  const { routeHandler, items: throughputItems, iterations } = options;
  const agentCount = options.agents ?? 30;
  const run = new RouterRun(options.agentStateTable, routeHandler);
  watched = `bench-${run.id}`;
  await run.createSink();

  // Items: the warm-up, the one-at-a-time phase (as many as BENCH_ITERATIONS) and the concurrent phase.
  const totalItems = WARMUP_ITEMS + iterations + throughputItems;
  let totalWeight = 0;
  for (let i = 0; i < totalItems; i++) totalWeight += weightOf(i);
  // Room for twice the run's work: no item waits for capacity, so every item must be offered.
  const capacity = Math.max(1000, Math.ceil((2 * totalWeight) / agentCount / 100) * 100);
  const touchingAfterSeeding = await run.seedAgents(agentCount, capacity);

  // Warm-up: the handler, the clients and DynamoDB Local.
  const warmup = await run.enqueue(0, WARMUP_ITEMS);
  await run.deliver(
    warmup.map((record) => routeMessage(record)),
    run.newTally(),
    CONCURRENCY,
  );
  const reference = new RawReference(run);
  await reference.setUp(warmup);

  const single = await measureOneAtATime(run, reference, await run.enqueue(WARMUP_ITEMS, WARMUP_ITEMS + iterations));
  const concurrent = await measureConcurrent(run, await run.enqueue(WARMUP_ITEMS + iterations, totalItems));
  const maxLoadShare = await checkRun(run, touchingAfterSeeding);
  run.destroy();

  const report: RouterReport = { run, agentCount, touchingAfterSeeding, maxLoadShare, reference, single, concurrent };
  printRouterSummary(report);
  return routerFigures(report);
}

/** The weight of the i-th item, by its channel. */
function weightOf(i: number): number {
  return DEMO_CHANNEL_WEIGHTS[itemShape(i).channel];
}

function routeMessage(record: WorkRecord, recheckId: string | null = null): RoutingMessage {
  return {
    type: 'route',
    item: snapshotOf(record),
    excludeDecliners: false,
    recheckId,
  };
}

/**
 * One run of the bench: its queue, topic and language of its own, its agents and items, the sink
 * that stands for its routing queue, and the bench's own clients (seeding, reading back, raw
 * reference: never counted).
 */
class RouterRun {
  readonly id = Date.now().toString(36);
  readonly queue = `bench-${this.id}`;
  readonly topic = `bench-${this.id}`;
  readonly language = 'fi';
  readonly raw = new DynamoDBClient({});
  readonly documents = DynamoDBDocumentClient.from(this.raw, { marshallOptions: { removeUndefinedValues: true } });
  readonly sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  readonly routing: DynamoRoutingStore;
  readonly agentStore: DynamoAgentStore;
  /** Every item enqueued, in order. */
  readonly records: WorkRecord[] = [];
  /** Every tally of the bench's own invocations, to check the run as a whole. */
  readonly tallies: Tally[] = [];
  agentIds: string[] = [];
  sinkUrl = '';
  sinkArn = '';

  constructor(
    readonly agentStateTable: string,
    private readonly routeHandler: RouteHandler,
  ) {
    this.routing = new DynamoRoutingStore(this.documents, agentStateTable);
    this.agentStore = new DynamoAgentStore(this.documents, agentStateTable);
  }

  /**
   * The run's routing queue: a sink. Set before anything is enqueued, and left set, so that a late
   * stream record of these items still finds its queue.
   */
  async createSink(): Promise<void> {
    const sink = await this.sqs.send(new CreateQueueCommand({ QueueName: `switchboard-bench-router-sink-${this.id}` }));
    this.sinkUrl = sink.QueueUrl as string;
    this.sinkArn =
      (await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.sinkUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ??
      `arn:aws:sqs:${process.env.AWS_REGION}:000000000000:switchboard-bench-router-sink-${this.id}`;
    process.env[routingQueueUrlVariable(this.queue).name] = this.sinkUrl;
  }

  private async sinkMessages(): Promise<number> {
    const attributes =
      (
        await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: this.sinkUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes ?? {};
    return Object.values(attributes).reduce((sum, value) => sum + Number(value), 0);
  }

  /** Waits until the relay has sent what the table's stream owes the sink; the count reached. */
  async awaitSink(expected: number, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let count = await this.sinkMessages();
    while (count < expected && Date.now() < deadline) {
      await sleep(100);
      count = await this.sinkMessages();
    }
    return count;
  }

  /** The sink owes: one relay route message per item, one offer-timeout per offer, one recheck per backlog decision. */
  expectedSink(): number {
    return (
      this.records.length +
      this.tallies.reduce(
        (sum, tally) => sum + tally.transactions - tally.cancelledTransactions + tally.otherWrites - tally.failedWrites,
        0,
      )
    );
  }

  newTally(): Tally {
    const tally = emptyTally();
    this.tallies.push(tally);
    return tally;
  }

  /** Seeds the run's available agents; returns how many requests of the runtime touched the run meanwhile. */
  async seedAgents(agentCount: number, capacity: number): Promise<number> {
    const now = new Date().toISOString();
    this.agentIds = Array.from({ length: agentCount }, (_, i) => `bench-${this.id}-agent-${String(i + 1).padStart(2, '0')}`);
    for (const batch of chunks(this.agentIds, 10)) {
      await Promise.all(
        batch.map((id, i) => {
          const agent: Agent = {
            id,
            username: id,
            name: `Bench Agent ${id.slice(-2)}`,
            email: `${id}@bench.local`,
            connectUsername: null,
            roles: ['agents'],
            skills: [
              { skill: this.language, level: 5 + (i % 6) },
              { skill: this.topic, level: 5 + ((i * 7) % 6) },
            ],
            queues: [this.queue],
            capacity,
            presence: 'available',
            createdAt: now,
            updatedAt: now,
          };
          return this.agentStore.putAgent(agent);
        }),
      );
    }
    // Each new available agent makes the runtime's drain read the agent and the run's (empty)
    // backlog: let those finish, so no drain ever competes with the router for the run's items.
    const drainReads = () => touching.filter((request) => request.startsWith('QueryCommand')).length;
    for (const deadline = Date.now() + 30_000; drainReads() < 2 * agentCount && Date.now() < deadline;) await sleep(100);
    await sleep(300);
    return touching.length;
  }

  /** Enqueues items `from` to `to` (exclusive) and waits for the relay's route messages. */
  async enqueue(from: number, to: number): Promise<WorkRecord[]> {
    const created: WorkRecord[] = [];
    for (let i = from; i < to; i++) created.push(this.workRecord(i));
    for (const batch of chunks(created, 25)) {
      await Promise.all(
        batch.map(async (record) => {
          const outcome = await this.routing.enqueue(record, record.caseVersion);
          if (outcome !== 'created') throw new Error(`enqueue of ${record.id} answered ${outcome}`);
        }),
      );
    }
    this.records.push(...created);
    // The relay answers each new item with a route message: let it finish before the clock starts.
    await this.awaitSink(this.expectedSink());
    return created;
  }

  private workRecord(i: number): WorkRecord {
    const shape = itemShape(i);
    const item: WorkItem = {
      id: `bench-${this.id}-work-${String(i).padStart(5, '0')}`,
      caseId: `bench-${this.id}-case-${String(i).padStart(5, '0')}`,
      queue: this.queue,
      channel: shape.channel,
      weight: weightOf(i),
      language: this.language,
      topic: this.topic,
      priority: shape.priority,
      enqueuedAt: new Date().toISOString(),
      declinedBy: [],
    };
    return {
      ...item,
      status: 'waiting',
      owner: null,
      offerId: null,
      offeredAt: null,
      offerExpiresAt: null,
      acceptedAt: null,
      caseVersion: 1,
      releasedAt: null,
      releaseReason: null,
      decision: null,
    };
  }

  /** Runs the handler on an event inside the tally's context, so its requests are counted there. */
  route(event: SQSEvent, tally: Tally): Promise<SQSBatchResponse> {
    return attributed.run(tally, () => this.routeHandler(event));
  }

  /**
   * Delivers route messages to the handler as the event source mapping would: batches of 10,
   * `concurrency` invocations at once, the records a batch reports failed delivered again.
   */
  async deliver(messages: RoutingMessage[], tally: Tally, concurrency: number): Promise<number> {
    const pending = chunks(
      messages.map((message) => sqsRecord(message, this.sinkArn)),
      BATCH_SIZE,
    );
    let redelivered = 0;
    const worker = async () => {
      for (let batch = pending.shift(); batch; batch = pending.shift()) {
        const records = batch;
        const response = await this.route({ Records: records }, tally);
        const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
        if (failed.size === 0) continue;
        const again = records.filter((record) => failed.has(record.messageId));
        for (const record of again) {
          const receives = Number(record.attributes.ApproximateReceiveCount) + 1;
          if (receives > MAX_RECEIVES) throw new Error(`route message failed ${MAX_RECEIVES} times: ${record.body}`);
          record.attributes.ApproximateReceiveCount = String(receives);
        }
        redelivered += again.length;
        pending.push(again);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return redelivered;
  }

  /** Reads the run's items back (consistently, with the bench's own client). */
  async readItems(list: WorkRecord[]): Promise<Item[]> {
    const found: Item[] = [];
    for (const batch of chunks(list, 100)) {
      let keysLeft: Record<string, unknown>[] = batch.map((record) => workItemKey(record.id));
      while (keysLeft.length > 0) {
        const result = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.agentStateTable]: { Keys: keysLeft, ConsistentRead: true } } }),
        );
        found.push(...(result.Responses?.[this.agentStateTable] ?? []));
        keysLeft = (result.UnprocessedKeys?.[this.agentStateTable]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  destroy(): void {
    this.raw.destroy();
    this.sqs.destroy();
  }
}

/**
 * The raw reference: an agent-state-like and a work-item-like item, no `entity`, so no stream
 * filter of the runtime matches them; the same update expressions and conditions as a reservation.
 */
class RawReference {
  private readonly agentKey: Record<string, AttributeValue>;
  private decision: AttributeValue | null = null;
  /** What the last staff query read: items and pages. */
  staffItems = 0;
  staffPages = 0;

  constructor(private readonly run: RouterRun) {
    this.agentKey = { PK: { S: `BENCHRAW#${run.id}#AGENT` }, SK: { S: 'STATE' } };
  }

  /** Writes the raw agent, takes a real decision record from a warm-up item, and warms the raw requests up. */
  async setUp(warmup: WorkRecord[]): Promise<void> {
    const { run } = this;
    await run.documents.send(
      new PutCommand({
        TableName: run.agentStateTable,
        Item: { PK: `BENCHRAW#${run.id}#AGENT`, SK: 'STATE', presence: 'available', capacity: 1e12, load: 0 },
      }),
    );
    const [sampleItem] = await run.readItems(warmup.slice(0, 1));
    const recordedDecision = sampleItem?.decision;
    if (!recordedDecision) throw new Error('the warm-up items carry no decision record');
    this.decision = marshall({ decision: recordedDecision }, { removeUndefinedValues: true }).decision as AttributeValue;
    for (let i = 0; i < WARMUP_ITEMS; i++) {
      await run.raw.send(this.transaction(1_000_000 + i, false));
      await this.sameRequests(2_000_000 + i);
    }
  }

  transaction(i: number, withDecision: boolean): TransactWriteItemsCommand {
    const { agentStateTable, id } = this.run;
    const at = new Date().toISOString();
    const work: Record<string, AttributeValue> = {
      ':agent': { S: 'raw-agent' },
      ':offered': { S: 'offered' },
      ':offerId': { S: randomUUID() },
      ':at': { S: at },
      ':expires': { S: at },
      ':pk': { S: `BENCHRAW#${id}#OWNER` },
      ':sk': { S: `${at}#${i}` },
    };
    if (withDecision) work[':decision'] = this.decision as AttributeValue;
    return new TransactWriteItemsCommand({
      TransactItems: [
        {
          Update: {
            TableName: agentStateTable,
            Key: this.agentKey,
            UpdateExpression: 'SET #load = #load + :weight, idleSince = :at, updatedAt = :at',
            ConditionExpression: 'presence = :available AND #capacity = :capacity AND #load <= :limit',
            ExpressionAttributeNames: { '#load': 'load', '#capacity': 'capacity' },
            ExpressionAttributeValues: {
              ':weight': { N: '20' },
              ':at': { S: at },
              ':available': { S: 'available' },
              ':capacity': { N: '1000000000000' },
              ':limit': { N: '999999999980' },
            },
          },
        },
        {
          Update: {
            TableName: agentStateTable,
            Key: { PK: { S: `BENCHRAW#${id}#WORK#${i}` }, SK: { S: 'WORK' } },
            UpdateExpression: `SET #owner = :agent, #status = :offered, offerId = :offerId, offeredAt = :at, offerExpiresAt = :expires${withDecision ? ', decision = :decision' : ''}, GSI2PK = :pk, GSI2SK = :sk`,
            ConditionExpression: 'attribute_not_exists(#owner)',
            ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
            ExpressionAttributeValues: work,
          },
        },
      ],
    });
  }

  /** The requests a reservation costs, raw: the staff query (every page) and the transaction with a real decision record. */
  async sameRequests(i: number): Promise<void> {
    let startKey: Record<string, AttributeValue> | undefined;
    this.staffItems = 0;
    this.staffPages = 0;
    do {
      const page = await this.run.raw.send(
        new QueryCommand({
          TableName: this.run.agentStateTable,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: agentListPartition } },
          ExclusiveStartKey: startKey,
        }),
      );
      startKey = page.LastEvaluatedKey;
      this.staffItems += page.Count ?? 0;
      this.staffPages += 1;
    } while (startKey);
    await this.run.raw.send(this.transaction(i, true));
  }
}

interface SingleResult {
  items: number;
  tally: Tally;
  routeSamples: number[];
  rawSamples: number[];
  rawSameSamples: number[];
}

/** One at a time: one item per invocation, each beside a raw transaction and the raw same requests. */
async function measureOneAtATime(run: RouterRun, reference: RawReference, single: WorkRecord[]): Promise<SingleResult> {
  const tally = run.newTally();
  const routeSamples: number[] = [];
  const rawSamples: number[] = [];
  const rawSameSamples: number[] = [];
  const time = async (samples: number[], work: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  };
  for (const [i, record] of single.entries()) {
    const event: SQSEvent = { Records: [sqsRecord(routeMessage(record), run.sinkArn)] };
    let response: SQSBatchResponse | undefined;
    await time(routeSamples, async () => {
      response = await run.route(event, tally);
    });
    if (response?.batchItemFailures.length) throw new Error(`routing ${record.id} failed`);
    await time(rawSamples, () => run.raw.send(reference.transaction(i, false)));
    await time(rawSameSamples, () => reference.sameRequests(3_000_000 + i));
  }
  return { items: single.length, tally, routeSamples, rawSamples, rawSameSamples };
}

interface ConcurrentResult {
  assignments: number;
  tally: Tally;
  redelivered: number;
  rechecks: number;
  elapsedSeconds: number;
  /** How busy this process (router, SDK, and the runtime's pollers and relay beside it) was. */
  cpuShare: number;
  /** The runtime's own requests during the window, not counted. */
  background: Tally;
}

/** Concurrent: batches of 10, five at a time; the clock runs from the first delivery to the last answer. */
async function measureConcurrent(run: RouterRun, concurrent: WorkRecord[]): Promise<ConcurrentResult> {
  const tally = run.newTally();
  const messages = concurrent.map((record) => routeMessage(record));
  background = emptyTally();
  const cpuBefore = process.cpuUsage();
  let started = process.hrtime.bigint();
  let redelivered = await run.deliver(messages, tally, CONCURRENCY);
  let elapsedNs = process.hrtime.bigint() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (Number(elapsedNs) / 1e6);
  const backgroundDuringWindow = { ...background };
  // An item that lost five races goes to the backlog with a recheck message (here: to the sink).
  // Deliver those rechecks at once, as the recheck would later, so that every item ends offered;
  // their time counts too (the reading back in between does not).
  let rechecks = 0;
  for (let round = 0; round < 3; round++) {
    const waiting = (await run.readItems(concurrent)).filter((item) => item.status === 'waiting');
    if (waiting.length === 0) break;
    rechecks += waiting.length;
    started = process.hrtime.bigint();
    redelivered += await run.deliver(
      waiting.map((item) => routeMessage(workItemFromItem(item), (item.recheckId as string | undefined) ?? null)),
      tally,
      CONCURRENCY,
    );
    elapsedNs += process.hrtime.bigint() - started;
  }
  return {
    assignments: concurrent.length,
    tally,
    redelivered,
    rechecks,
    elapsedSeconds: Number(elapsedNs) / 1e9,
    cpuShare,
    background: backgroundDuringWindow,
  };
}

/** Correctness: every item offered exactly once, to an agent of the run, within capacity; returns the highest load share. */
async function checkRun(run: RouterRun, touchingAfterSeeding: number): Promise<number> {
  const { records, agentIds, agentStateTable } = run;
  const stored = await run.readItems(records);
  const problems: string[] = [];
  if (stored.length !== records.length) problems.push(`${records.length - stored.length} items missing`);
  const heldBy = new Map<string, number>(agentIds.map((id) => [id, 0]));
  for (const item of stored) {
    const owner = item.owner as string | null;
    if (item.status !== 'offered' || !owner || !heldBy.has(owner) || !item.offerId) {
      problems.push(`${String(item.id)}: ${String(item.status)}, owner ${String(owner)}`);
      continue;
    }
    heldBy.set(owner, (heldBy.get(owner) ?? 0) + Number(item.weight));
  }
  const reservations = run.tallies.reduce((sum, tally) => sum + tally.transactions - tally.cancelledTransactions, 0);
  if (reservations !== records.length) problems.push(`${reservations} successful reservations for ${records.length} items`);
  const states = await run.documents.send(
    new BatchGetCommand({ RequestItems: { [agentStateTable]: { Keys: agentIds.map((id) => agentStateKey(id)), ConsistentRead: true } } }),
  );
  let maxLoadShare = 0;
  for (const state of states.Responses?.[agentStateTable] ?? []) {
    const id = String(state.agentId);
    const load = Number(state.load);
    maxLoadShare = Math.max(maxLoadShare, load / Number(state.capacity));
    if (load > Number(state.capacity)) problems.push(`${id}: load ${load} above capacity ${String(state.capacity)}`);
    if (load !== heldBy.get(id)) problems.push(`${id}: load ${load}, but holds items weighing ${heldBy.get(id)}`);
  }
  // The relay has seen every change of the table by now: one route message per item, one
  // offer-timeout message per offer (a second offer of an item would add one), one per recheck.
  const sinkCount = await run.awaitSink(run.expectedSink());
  if (sinkCount !== run.expectedSink())
    problems.push(`the run's routing queue holds ${sinkCount} messages, ${run.expectedSink()} expected`);
  // Nothing but the bench's own invocations touched the run's items and agents after seeding.
  const interfering = touching.slice(touchingAfterSeeding);
  if (interfering.length > 0)
    problems.push(`${interfering.length} requests of the runtime touched the run: ${interfering.slice(0, 3).join(' | ')}`);
  watched = null;
  if (problems.length > 0) throw new Error(`router bench: ${problems.length} problems: ${problems.slice(0, 10).join('; ')}`);
  return maxLoadShare;
}

interface RouterReport {
  run: RouterRun;
  agentCount: number;
  touchingAfterSeeding: number;
  maxLoadShare: number;
  reference: RawReference;
  single: SingleResult;
  concurrent: ConcurrentResult;
}

const p = (samples: number[], q: number) => round(percentile(samples, q));

function printRouterSummary({ run, agentCount, touchingAfterSeeding, maxLoadShare, reference, single, concurrent }: RouterReport): void {
  const { assignments, tally: c } = concurrent;
  const per = (count: number) => round(count / assignments);
  const singlePer = (count: number) => round(count / single.items);
  const assignmentsPerSecond = round(assignments / concurrent.elapsedSeconds, 1);
  const rawRatio = round(percentile(single.routeSamples, 50) / percentile(single.rawSamples, 50));
  console.log(
    [
      '',
      `The live router (docs/routing-simulation.md, "The live router"): ${assignments} items to ${agentCount} agents, batches of ${BATCH_SIZE}, ${CONCURRENCY} at once`,
      `  ${assignmentsPerSecond} assignments/s (this process ${round(concurrent.cpuShare * 100, 0)} % busy); per assignment: ${per(c.transactions)} transactions ` +
        `(${per(c.cancelledTransactions)} cancelled, ${per(c.conflicts)} of them by conflict), ${per(c.queries)} queries, ${per(c.gets)} gets, ${per(c.otherWrites)} other writes; ` +
        `redelivered ${concurrent.redelivered}, rechecked ${concurrent.rechecks}`,
      `  one item at a time: p50 ${p(single.routeSamples, 50)} ms = ${rawRatio}× a raw two-update TransactWriteItems (${p(single.rawSamples, 50)} ms), ` +
        `${round(percentile(single.routeSamples, 50) / percentile(single.rawSameSamples, 50))}× the same requests raw (${p(single.rawSameSamples, 50)} ms); ` +
        `${singlePer(single.tally.transactions)} transactions, ${singlePer(single.tally.queries + single.tally.gets)} reads per item; the staff query reads ${reference.staffItems} items in ${reference.staffPages} page(s)`,
      `  checked: all ${run.records.length} items offered exactly once, loads = weights held, max load ${round(maxLoadShare * 100, 0)} % of capacity; ` +
        `not counted: ${requestsOf(concurrent.background)} requests of the runtime's own functions during the window, ` +
        `${touchingAfterSeeding} reads of its drains on the run's new agents (none touched the run later)`,
      '',
    ].join('\n'),
  );
}

function routerFigures({ single, concurrent }: RouterReport): Figure[] {
  const { assignments, tally: c } = concurrent;
  const per = (count: number) => round(count / assignments);
  const singlePer = (count: number) => round(count / single.items);
  const { routeSamples, rawSamples, rawSameSamples } = single;
  const singleTally = single.tally;
  const assignmentsPerSecond = round(assignments / concurrent.elapsedSeconds, 1);
  const rawRatio = round(percentile(routeSamples, 50) / percentile(rawSamples, 50));
  return [
    { name: 'router.assignments_per_second', value: assignmentsPerSecond, unit: '/s' },
    { name: 'router.transactions_per_assignment', value: per(c.transactions), unit: 'requests', target: '1' },
    { name: 'router.cancelled_transactions_per_assignment', value: per(c.cancelledTransactions), unit: 'requests' },
    { name: 'router.queries_per_assignment', value: per(c.queries), unit: 'requests', target: '<= 2' },
    { name: 'router.gets_per_assignment', value: per(c.gets), unit: 'requests' },
    { name: 'router.reads_per_assignment', value: per(c.queries + c.gets), unit: 'requests', target: '<= 2' },
    { name: 'router.other_writes_per_assignment', value: per(c.otherWrites + c.other), unit: 'requests' },
    { name: 'router.one_at_a_time.transactions_per_assignment', value: singlePer(singleTally.transactions), unit: 'requests', target: '1' },
    {
      name: 'router.one_at_a_time.reads_per_assignment',
      value: singlePer(singleTally.queries + singleTally.gets),
      unit: 'requests',
      target: '<= 2',
    },
    { name: 'router.route_one_item_p50', value: p(routeSamples, 50), unit: 'ms' },
    { name: 'router.route_one_item_p99', value: p(routeSamples, 99), unit: 'ms' },
    { name: 'router.raw_transaction_p50', value: p(rawSamples, 50), unit: 'ms' },
    { name: 'router.raw_same_requests_p50', value: p(rawSameSamples, 50), unit: 'ms' },
    { name: 'router.p50_ratio_to_raw_transaction', value: rawRatio, unit: 'x' },
    {
      name: 'router.p50_ratio_to_raw_same_requests',
      value: round(percentile(routeSamples, 50) / percentile(rawSameSamples, 50)),
      unit: 'x',
    },
  ];
}
