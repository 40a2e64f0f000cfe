import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesPattern } from './event-filter.js';
import type { EventSourcePositions } from './event-source-positions.js';

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

/** How often an idle shard is read again (ms). */
const IDLE_POLL_MS = 200;
/** A record whose handler keeps failing is retried this often, then logged and skipped (AWS: until it expires). */
const MAX_ATTEMPTS = 3;

/**
 * Plays Lambda's DynamoDB stream event source mapping locally: reads every shard of the table's
 * stream after the last record delivered (kept in `positions`, so across restarts too; a shard never
 * read from its oldest record), applies the mapping's filter patterns, invokes the handler with the
 * real stream event shape, and on a reported failure retries from the failed record.
 */
export class StreamPoller {
  private running = true;
  private loop: Promise<void> | null = null;
  private readonly iterators = new Map<string, string | null>();
  /** Wakes an idle wait early when the poller stops. */
  private wake: (() => void) | null = null;

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly tableName: string,
    private readonly handler: StreamHandler,
    private readonly options: { batchSize: number; filters: Record<string, unknown>[]; functionName: string; region: string },
    private readonly positions: EventSourcePositions,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** The key of a shard's position: the stream ARN (it names the table and its stream's creation) and the shard. */
  private positionKey(streamArn: string, shardId: string): string {
    return `${streamArn}/${shardId}`;
  }

  private async run(): Promise<void> {
    const table = await this.dynamodb.send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${this.tableName} has no stream`);
    while (this.running) {
      try {
        const read = await this.pollShards(streamArn);
        if (read === 0 && this.running) await this.pause(IDLE_POLL_MS);
      } catch (error) {
        if (!this.running) return;
        console.error(`[stream] ${this.options.functionName}:`, error);
        await this.pause(500);
      }
    }
  }

  private async pollShards(streamArn: string): Promise<number> {
    const description = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    let read = 0;
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!this.running) break;
      const shardId = shard.ShardId as string;
      if (!this.iterators.has(shardId)) this.iterators.set(shardId, await this.iteratorFor(streamArn, shardId));
      const iterator = this.iterators.get(shardId);
      if (!iterator) continue; // a closed shard, read to its end
      let batch;
      try {
        batch = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize }));
      } catch (error) {
        // DynamoDB Local hands out TRIM_HORIZON iterators of empty shards that it later calls trimmed,
        // and iterators expire after 15 minutes: either way, start again after the last record read.
        const name = (error as { name?: string }).name;
        if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
        this.iterators.delete(shardId);
        continue;
      }
      const records = batch.Records ?? [];
      read += records.length;
      if (records.length > 0) {
        await this.deliver(streamArn, records);
        this.positions.set(this.positionKey(streamArn, shardId), records.at(-1)?.dynamodb?.SequenceNumber as string);
      }
      this.iterators.set(shardId, batch.NextShardIterator ?? null);
    }
    return read;
  }

  private async iteratorFor(streamArn: string, shardId: string): Promise<string | null> {
    const after = this.positions.get(this.positionKey(streamArn, shardId));
    const request = (
      position: { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER'; SequenceNumber: string } | { ShardIteratorType: 'TRIM_HORIZON' },
    ) => this.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...position }));
    if (!after) return (await request({ ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator ?? null;
    try {
      return (await request({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after })).ShardIterator ?? null;
    } catch (error) {
      // The record read last has been trimmed since (a stream keeps 24 hours): what is left is all unread.
      const name = (error as { name?: string }).name;
      if (name !== 'TrimmedDataAccessException' && name !== 'ValidationException') throw error;
      return (await request({ ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator ?? null;
    }
  }

  private async deliver(streamArn: string, records: _Record[]): Promise<void> {
    const event: DynamoDBStreamEvent = {
      Records: records
        .map((record) => ({
          eventID: record.eventID,
          eventName: record.eventName,
          eventVersion: record.eventVersion,
          eventSource: 'aws:dynamodb',
          awsRegion: this.options.region,
          eventSourceARN: streamArn,
          dynamodb: {
            ...record.dynamodb,
            ...(record.dynamodb?.NewImage ? { NewImage: restoreEmptyMaps(record.dynamodb.NewImage) } : {}),
            ...(record.dynamodb?.OldImage ? { OldImage: restoreEmptyMaps(record.dynamodb.OldImage) } : {}),
            ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
              ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
              : undefined,
          },
        }))
        .filter((record) => this.options.filters.length === 0 || this.options.filters.some((pattern) => matchesPattern(record, pattern))),
    } as DynamoDBStreamEvent;
    for (let attempt = 1; event.Records.length > 0 && attempt <= MAX_ATTEMPTS; attempt += 1) {
      try {
        const response = await this.handler(event, { functionName: this.options.functionName, awsRequestId: randomUUID() } as Context);
        const failed = response?.batchItemFailures?.[0]?.itemIdentifier;
        if (!failed) return;
        event.Records = event.Records.filter((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0') >= BigInt(failed));
      } catch (error) {
        console.error(`[stream] ${this.options.functionName} threw (attempt ${attempt}):`, error);
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    if (event.Records.length > 0) {
      console.error(`[stream] ${this.options.functionName}: gave up on ${event.Records.length} record(s) after ${MAX_ATTEMPTS} attempts`);
    }
  }
}

/**
 * The SDK's stream client reads an empty map attribute (`{"M":{}}`) back as `{}`, an attribute
 * value of no type, which Lambda never delivers and `unmarshall` rejects. Lambda's events carry
 * the wire JSON, so the empty map is restored, at any depth.
 */
export function restoreEmptyMaps<T extends Record<string, unknown>>(image: T): T {
  const restore = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    const attribute = value as Record<string, unknown>;
    const keys = Object.keys(attribute);
    if (keys.length === 0) return { M: {} };
    if (keys.length === 1 && keys[0] === 'M') return { M: restoreEmptyMaps(attribute.M as Record<string, unknown>) };
    if (keys.length === 1 && keys[0] === 'L') return { L: (attribute.L as unknown[]).map(restore) };
    return value;
  };
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, restore(value)])) as T;
}
