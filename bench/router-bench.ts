import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type AttributeValue, DynamoDBClient, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoAgentStore } from '#agents/adapters/dynamodb/agent-store';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { workItemFromItem } from '#tables/items';
import { keys } from '#tables/keys';
import { DynamoRoutingStore } from '#routing/adapters/dynamodb/routing-store';
import { type RoutingMessage, snapshotOf } from '#routing/adapters/sqs/routing-message';
import { routingQueueUrlVariable } from '#platform/adapters/env-variables';
import type { Agent } from '#agents/domain/agent';
import type { Channel, Priority } from '#cases/domain/case';
import type { WorkRecord } from '#routing/domain/routing-ports';
import { type WorkItem } from '#routing/domain/work-item';
import { percentile, round, type Figure } from './report.js';
import { DEMO_CHANNEL_WEIGHTS } from '../test/support/demo-settings.js';

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
  const { agentStateTable, routeHandler, items: throughputItems, iterations } = options;
  const agentCount = options.agents ?? 30;
  const run = Date.now().toString(36);
  const queue = `bench-${run}`;
  const topic = `bench-${run}`;
  const language = 'fi';
  watched = `bench-${run}`;

  // Clients of the bench's own (seeding, reading back, raw reference): never counted.
  const raw = new DynamoDBClient({});
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const routing = new DynamoRoutingStore(documents, agentStateTable);
  const agentStore = new DynamoAgentStore(documents, agentStateTable);

  // The run's routing queue: a sink. Set before anything is enqueued, and left set, so that a late
  // stream record of these items still finds its queue.
  const sink = await sqs.send(new CreateQueueCommand({ QueueName: `switchboard-bench-router-sink-${run}` }));
  const sinkUrl = sink.QueueUrl as string;
  const sinkArn =
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: sinkUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ??
    `arn:aws:sqs:${process.env.AWS_REGION}:000000000000:switchboard-bench-router-sink-${run}`;
  process.env[routingQueueUrlVariable(queue).name] = sinkUrl;
  const sinkMessages = async () => {
    const attributes =
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: sinkUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes ?? {};
    return Object.values(attributes).reduce((sum, value) => sum + Number(value), 0);
  };
  /** Waits until the relay has sent what the table's stream owes the sink; the count reached. */
  const awaitSink = async (expected: number, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    let count = await sinkMessages();
    while (count < expected && Date.now() < deadline) {
      await sleep(100);
      count = await sinkMessages();
    }
    return count;
  };

  // Items: the warm-up, the one-at-a-time phase (as many as BENCH_ITERATIONS) and the concurrent phase.
  const totalItems = WARMUP_ITEMS + iterations + throughputItems;
  const weightOf = (i: number) => DEMO_CHANNEL_WEIGHTS[itemShape(i).channel];
  let totalWeight = 0;
  for (let i = 0; i < totalItems; i++) totalWeight += weightOf(i);
  // Room for twice the run's work: no item waits for capacity, so every item must be offered.
  const capacity = Math.max(1000, Math.ceil((2 * totalWeight) / agentCount / 100) * 100);

  const now = new Date().toISOString();
  const agentIds = Array.from({ length: agentCount }, (_, i) => `bench-${run}-agent-${String(i + 1).padStart(2, '0')}`);
  for (const batch of chunks(agentIds, 10)) {
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
            { skill: language, level: 5 + (i % 6) },
            { skill: topic, level: 5 + ((i * 7) % 6) },
          ],
          queues: [queue],
          capacity,
          presence: 'available',
          createdAt: now,
          updatedAt: now,
        };
        return agentStore.putAgent(agent);
      }),
    );
  }
  // Each new available agent makes the runtime's drain read the agent and the run's (empty)
  // backlog: let those finish, so no drain ever competes with the router for the run's items.
  const drainReads = () => touching.filter((request) => request.startsWith('QueryCommand')).length;
  for (const deadline = Date.now() + 30_000; drainReads() < 2 * agentCount && Date.now() < deadline;) await sleep(100);
  await sleep(300);
  const touchingAfterSeeding = touching.length;

  const records: WorkRecord[] = [];
  // Every tally of the bench's own invocations, to check the run as a whole.
  const tallies: Tally[] = [];
  const newTally = () => {
    const tally = emptyTally();
    tallies.push(tally);
    return tally;
  };
  /** The sink owes: one relay route message per item, one offer-timeout per offer, one recheck per backlog decision. */
  const expectedSink = () =>
    records.length +
    tallies.reduce((sum, tally) => sum + tally.transactions - tally.cancelledTransactions + tally.otherWrites - tally.failedWrites, 0);

  const enqueue = async (from: number, to: number): Promise<WorkRecord[]> => {
    const created: WorkRecord[] = [];
    for (let i = from; i < to; i++) {
      const shape = itemShape(i);
      const item: WorkItem = {
        id: `bench-${run}-work-${String(i).padStart(5, '0')}`,
        caseId: `bench-${run}-case-${String(i).padStart(5, '0')}`,
        queue,
        channel: shape.channel,
        weight: weightOf(i),
        language,
        topic,
        priority: shape.priority,
        enqueuedAt: new Date().toISOString(),
        declinedBy: [],
      };
      created.push({
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
      });
    }
    for (const batch of chunks(created, 25)) {
      await Promise.all(
        batch.map(async (record) => {
          const outcome = await routing.enqueue(record, record.caseVersion);
          if (outcome !== 'created') throw new Error(`enqueue of ${record.id} answered ${outcome}`);
        }),
      );
    }
    records.push(...created);
    // The relay answers each new item with a route message: let it finish before the clock starts.
    await awaitSink(expectedSink());
    return created;
  };
  const routeMessage = (record: WorkRecord, recheckId: string | null = null): RoutingMessage => ({
    type: 'route',
    item: snapshotOf(record),
    excludeDecliners: false,
    recheckId,
  });

  /**
   * Delivers route messages to the handler as the event source mapping would: batches of 10,
   * `concurrency` invocations at once, the records a batch reports failed delivered again.
   */
  const deliver = async (messages: RoutingMessage[], tally: Tally, concurrency: number) => {
    const pending = chunks(
      messages.map((message) => sqsRecord(message, sinkArn)),
      BATCH_SIZE,
    );
    let redelivered = 0;
    const worker = async () => {
      for (let batch = pending.shift(); batch; batch = pending.shift()) {
        const records = batch;
        const response = await attributed.run(tally, () => routeHandler({ Records: records }));
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
  };

  /** Reads the run's items back (consistently, with the bench's own client). */
  const readItems = async (list: WorkRecord[]): Promise<Item[]> => {
    const found: Item[] = [];
    for (const batch of chunks(list, 100)) {
      let keysLeft: Record<string, unknown>[] = batch.map((record) => keys.workItem(record.id));
      while (keysLeft.length > 0) {
        const result = await documents.send(
          new BatchGetCommand({ RequestItems: { [agentStateTable]: { Keys: keysLeft, ConsistentRead: true } } }),
        );
        found.push(...(result.Responses?.[agentStateTable] ?? []));
        keysLeft = (result.UnprocessedKeys?.[agentStateTable]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  };

  // Warm-up: the handler, the clients and DynamoDB Local.
  const warmup = await enqueue(0, WARMUP_ITEMS);
  await deliver(
    warmup.map((record) => routeMessage(record)),
    newTally(),
    CONCURRENCY,
  );

  // The raw reference: an agent-state-like and a work-item-like item, no `entity`, so no stream
  // filter of the runtime matches them; the same update expressions and conditions as a reservation.
  const rawAgentKey = { PK: { S: `BENCHRAW#${run}#AGENT` }, SK: { S: 'STATE' } };
  await documents.send(
    new PutCommand({
      TableName: agentStateTable,
      Item: { PK: `BENCHRAW#${run}#AGENT`, SK: 'STATE', presence: 'available', capacity: 1e12, load: 0 },
    }),
  );
  const [sampleItem] = await readItems(warmup.slice(0, 1));
  const recordedDecision = sampleItem?.decision;
  if (!recordedDecision) throw new Error('the warm-up items carry no decision record');
  const decision = marshall({ decision: recordedDecision }, { removeUndefinedValues: true }).decision as AttributeValue;
  const rawTransaction = (i: number, withDecision: boolean) => {
    const at = new Date().toISOString();
    const work: Record<string, AttributeValue> = {
      ':agent': { S: 'raw-agent' },
      ':offered': { S: 'offered' },
      ':offerId': { S: randomUUID() },
      ':at': { S: at },
      ':expires': { S: at },
      ':pk': { S: `BENCHRAW#${run}#OWNER` },
      ':sk': { S: `${at}#${i}` },
    };
    if (withDecision) work[':decision'] = decision;
    return new TransactWriteItemsCommand({
      TransactItems: [
        {
          Update: {
            TableName: agentStateTable,
            Key: rawAgentKey,
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
            Key: { PK: { S: `BENCHRAW#${run}#WORK#${i}` }, SK: { S: 'WORK' } },
            UpdateExpression: `SET #owner = :agent, #status = :offered, offerId = :offerId, offeredAt = :at, offerExpiresAt = :expires${withDecision ? ', decision = :decision' : ''}, GSI2PK = :pk, GSI2SK = :sk`,
            ConditionExpression: 'attribute_not_exists(#owner)',
            ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
            ExpressionAttributeValues: work,
          },
        },
      ],
    });
  };
  /** The requests a reservation costs, raw: the staff query (every page) and the transaction with a real decision record. */
  let staffItems = 0;
  let staffPages = 0;
  const rawSameRequests = async (i: number) => {
    let startKey: Record<string, AttributeValue> | undefined;
    staffItems = 0;
    staffPages = 0;
    do {
      const page = await raw.send(
        new QueryCommand({
          TableName: agentStateTable,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: keys.agentListPartition } },
          ExclusiveStartKey: startKey,
        }),
      );
      startKey = page.LastEvaluatedKey;
      staffItems += page.Count ?? 0;
      staffPages += 1;
    } while (startKey);
    await raw.send(rawTransaction(i, true));
  };
  for (let i = 0; i < WARMUP_ITEMS; i++) {
    await raw.send(rawTransaction(1_000_000 + i, false));
    await rawSameRequests(2_000_000 + i);
  }

  // One at a time: one item per invocation, each beside a raw transaction and the raw same requests.
  const single = await enqueue(WARMUP_ITEMS, WARMUP_ITEMS + iterations);
  const singleTally = newTally();
  const routeSamples: number[] = [];
  const rawSamples: number[] = [];
  const rawSameSamples: number[] = [];
  const time = async (samples: number[], work: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  };
  for (const [i, record] of single.entries()) {
    const event: SQSEvent = { Records: [sqsRecord(routeMessage(record), sinkArn)] };
    let response: SQSBatchResponse | undefined;
    await time(routeSamples, async () => {
      response = await attributed.run(singleTally, () => routeHandler(event));
    });
    if (response?.batchItemFailures.length) throw new Error(`routing ${record.id} failed`);
    await time(rawSamples, () => raw.send(rawTransaction(i, false)));
    await time(rawSameSamples, () => rawSameRequests(3_000_000 + i));
  }

  // Concurrent: batches of 10, five at a time; the clock runs from the first delivery to the last answer.
  const concurrent = await enqueue(WARMUP_ITEMS + iterations, totalItems);
  const concurrentTally = newTally();
  const messages = concurrent.map((record) => routeMessage(record));
  background = emptyTally();
  const cpuBefore = process.cpuUsage();
  let started = process.hrtime.bigint();
  let redelivered = await deliver(messages, concurrentTally, CONCURRENCY);
  let elapsedNs = process.hrtime.bigint() - started;
  // How busy this process (router, SDK, and the runtime's pollers and relay beside it) was.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (Number(elapsedNs) / 1e6);
  const backgroundDuringWindow = { ...background };
  // An item that lost five races goes to the backlog with a recheck message (here: to the sink).
  // Deliver those rechecks at once, as the recheck would later, so that every item ends offered;
  // their time counts too (the reading back in between does not).
  let rechecks = 0;
  for (let round = 0; round < 3; round++) {
    const waiting = (await readItems(concurrent)).filter((item) => item.status === 'waiting');
    if (waiting.length === 0) break;
    rechecks += waiting.length;
    started = process.hrtime.bigint();
    redelivered += await deliver(
      waiting.map((item) => routeMessage(workItemFromItem(item), (item.recheckId as string | undefined) ?? null)),
      concurrentTally,
      CONCURRENCY,
    );
    elapsedNs += process.hrtime.bigint() - started;
  }
  const elapsedSeconds = Number(elapsedNs) / 1e9;

  // Correctness: every item offered exactly once, to an agent of the run, within capacity.
  const stored = await readItems(records);
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
  const reservations = tallies.reduce((sum, tally) => sum + tally.transactions - tally.cancelledTransactions, 0);
  if (reservations !== records.length) problems.push(`${reservations} successful reservations for ${records.length} items`);
  const states = await documents.send(
    new BatchGetCommand({ RequestItems: { [agentStateTable]: { Keys: agentIds.map((id) => keys.agentState(id)), ConsistentRead: true } } }),
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
  const sinkCount = await awaitSink(expectedSink());
  if (sinkCount !== expectedSink()) problems.push(`the run's routing queue holds ${sinkCount} messages, ${expectedSink()} expected`);
  // Nothing but the bench's own invocations touched the run's items and agents after seeding.
  const interfering = touching.slice(touchingAfterSeeding);
  if (interfering.length > 0)
    problems.push(`${interfering.length} requests of the runtime touched the run: ${interfering.slice(0, 3).join(' | ')}`);
  watched = null;
  if (problems.length > 0) throw new Error(`router bench: ${problems.length} problems: ${problems.slice(0, 10).join('; ')}`);
  raw.destroy();
  sqs.destroy();

  const assignments = concurrent.length;
  const per = (count: number) => round(count / assignments);
  const singlePer = (count: number) => round(count / single.length);
  const p = (samples: number[], q: number) => round(percentile(samples, q));
  const assignmentsPerSecond = round(assignments / elapsedSeconds, 1);
  const c = concurrentTally;
  const rawRatio = round(percentile(routeSamples, 50) / percentile(rawSamples, 50));
  console.log(
    [
      '',
      `The live router (docs/routing-simulation.md, "The live router"): ${assignments} items to ${agentCount} agents, batches of ${BATCH_SIZE}, ${CONCURRENCY} at once`,
      `  ${assignmentsPerSecond} assignments/s (this process ${round(cpuShare * 100, 0)} % busy); per assignment: ${per(c.transactions)} transactions ` +
        `(${per(c.cancelledTransactions)} cancelled, ${per(c.conflicts)} of them by conflict), ${per(c.queries)} queries, ${per(c.gets)} gets, ${per(c.otherWrites)} other writes; ` +
        `redelivered ${redelivered}, rechecked ${rechecks}`,
      `  one item at a time: p50 ${p(routeSamples, 50)} ms = ${rawRatio}× a raw two-update TransactWriteItems (${p(rawSamples, 50)} ms), ` +
        `${round(percentile(routeSamples, 50) / percentile(rawSameSamples, 50))}× the same requests raw (${p(rawSameSamples, 50)} ms); ` +
        `${singlePer(singleTally.transactions)} transactions, ${singlePer(singleTally.queries + singleTally.gets)} reads per item; the staff query reads ${staffItems} items in ${staffPages} page(s)`,
      `  checked: all ${records.length} items offered exactly once, loads = weights held, max load ${round(maxLoadShare * 100, 0)} % of capacity; ` +
        `not counted: ${requestsOf(backgroundDuringWindow)} requests of the runtime's own functions during the window, ` +
        `${touchingAfterSeeding} reads of its drains on the run's new agents (none touched the run later)`,
      '',
    ].join('\n'),
  );

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
