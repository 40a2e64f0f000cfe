import { randomUUID } from 'node:crypto';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { CloudModel, EventSourceDefinition } from './cloud-template.js';
import { matchesPattern } from './event-filter.js';

export type KinesisHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse | void>;

/** A function a Kinesis stream triggers, with its event source mapping's settings. */
export interface KinesisTarget {
  handler: KinesisHandler;
  functionName: string;
  /** The function's execution role, which Lambda puts in every record as `invokeIdentityArn`. */
  invokeIdentityArn: string;
  batchSize: number;
  reportBatchItemFailures: boolean;
  bisectBatchOnFunctionError: boolean;
  /** Lambda event filter patterns; a record passes when any matches (none: all pass). */
  filters: Record<string, unknown>[];
}

export interface KinesisDeliveryResult {
  /** Records put on the stream (one per event), whether or not a target's filters let them through. */
  delivered: number;
  /** Every target's failures, as `{itemIdentifier: <sequenceNumber>}`. */
  batchItemFailures: { itemIdentifier: string }[];
}

/** Kinesis sequence numbers are 56-digit decimals that grow within a shard; this one starts with 49 like real ones. */
const SEQUENCE_PREFIX = 49n * 10n ** 54n;
/** Room for the sequence counter below the start time, so numbers keep growing across restarts. */
const COUNTER_SPAN = 10n ** 20n;

/**
 * Hands out increasing Kinesis sequence numbers. They start from the wall clock (ms), so a restarted
 * runtime never reuses a number that an idempotent consumer may have recorded.
 */
export class KinesisSequence {
  private next: bigint;

  constructor(startMs: number = Date.now()) {
    this.next = SEQUENCE_PREFIX + BigInt(Math.floor(startMs)) * COUNTER_SPAN;
  }

  take(): string {
    const value = this.next;
    this.next += 1n;
    return value.toString();
  }
}

/**
 * Wraps one data record (any JSON value) as Lambda delivers a Kinesis record: the data as base64 of
 * its JSON, an arrival time in seconds, and the stream's ARN. The partition key is the Amazon Connect
 * agent event's `AgentARN`, which is what Connect partitions its agent event stream by.
 */
export function toKinesisRecord(
  data: unknown,
  options: { sequenceNumber: string; streamArn: string; region: string; invokeIdentityArn: string; arrivedAt: Date },
): KinesisStreamRecord {
  const agentArn = (data as { AgentARN?: unknown } | null)?.AgentARN;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: typeof agentArn === 'string' && agentArn !== '' ? agentArn : 'agent',
      sequenceNumber: options.sequenceNumber,
      data: Buffer.from(JSON.stringify(data), 'utf8').toString('base64'),
      approximateArrivalTimestamp: options.arrivedAt.getTime() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${options.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: options.invokeIdentityArn,
    awsRegion: options.region,
    eventSourceARN: options.streamArn,
  };
}

/** The record as Lambda event filters see it: the metadata, and `data` decoded when it is JSON. */
function filterView(record: KinesisStreamRecord): Record<string, unknown> {
  const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  let data: unknown = record.kinesis.data;
  try {
    data = JSON.parse(text);
  } catch {
    // Lambda matches non-JSON data only by its metadata.
  }
  return { ...record.kinesis, data };
}

/**
 * Plays Lambda's Kinesis event source mappings for one stream, without a Kinesis: records are put
 * on the "stream" by `deliver` (the local runtime's `POST /local/connect/agent-events`) and every
 * target function is invoked with them at once, in batches of its mapping's batch size, with the
 * real `KinesisStreamEvent` shape. Apart from bisection there are no retries: what fails is reported
 * to the caller.
 */
export class KinesisDelivery {
  private readonly sequence: KinesisSequence;

  constructor(
    readonly stream: { arn: string; region: string },
    readonly targets: KinesisTarget[],
    sequence?: KinesisSequence,
  ) {
    this.sequence = sequence ?? new KinesisSequence();
  }

  async deliver(events: unknown[], arrivedAt: Date = new Date()): Promise<KinesisDeliveryResult> {
    const sequenceNumbers = events.map(() => this.sequence.take());
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const target of this.targets) {
      const records = events
        .map((event, index) =>
          toKinesisRecord(event, {
            sequenceNumber: sequenceNumbers[index] as string,
            streamArn: this.stream.arn,
            region: this.stream.region,
            invokeIdentityArn: target.invokeIdentityArn,
            arrivedAt,
          }),
        )
        .filter((record) => target.filters.length === 0 || target.filters.some((pattern) => matchesPattern(filterView(record), pattern)));
      for (let start = 0; start < records.length; start += target.batchSize) {
        const failed = await this.invoke(target, records.slice(start, start + target.batchSize));
        batchItemFailures.push(...failed.map((itemIdentifier) => ({ itemIdentifier })));
      }
    }
    return { delivered: events.length, batchItemFailures };
  }

  /** Invokes the target once with a batch; returns the sequence numbers that failed. */
  private async invoke(target: KinesisTarget, records: KinesisStreamRecord[]): Promise<string[]> {
    const inBatch = records.map((record) => record.kinesis.sequenceNumber);
    try {
      const response = await target.handler({ Records: records }, {
        functionName: target.functionName,
        awsRequestId: randomUUID(),
        getRemainingTimeInMillis: () => 30_000,
      } as Context);
      // Without ReportBatchItemFailures on the mapping, Lambda ignores what the handler returns.
      if (!target.reportBatchItemFailures) return [];
      const reported = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
      // Lambda fails the whole batch on a null or empty identifier; an identifier that is no sequence
      // number of the batch (an eventID, say) is treated the same here, to catch that mistake locally.
      if (reported.some((identifier) => typeof identifier !== 'string' || !inBatch.includes(identifier))) {
        console.error(
          `[kinesis] ${target.functionName} reported failures that are no sequence numbers of the batch: ${JSON.stringify(reported)}`,
        );
        return inBatch;
      }
      return reported;
    } catch (error) {
      if (target.bisectBatchOnFunctionError && records.length > 1) {
        const half = Math.ceil(records.length / 2);
        return [...(await this.invoke(target, records.slice(0, half))), ...(await this.invoke(target, records.slice(half)))];
      }
      console.error(`[kinesis] ${target.functionName} threw on ${records.length} record(s):`, error);
      return inBatch;
    }
  }
}

/**
 * The Kinesis event source mappings of Amazon Connect's agent event stream: the stream whose logical
 * id names `AgentEventStream`, or else the only Kinesis stream any mapping reads. Null when the
 * template has no Kinesis-triggered function.
 */
export function agentEventSources(model: Pick<CloudModel, 'eventSources' | 'kinesisStreams'>): {
  stream: CloudModel['kinesisStreams'][number];
  sources: EventSourceDefinition[];
} | null {
  const kinesisSources = model.eventSources.filter((source) => source.kind === 'kinesis');
  const streamIds = [...new Set(kinesisSources.map((source) => source.sourceLogicalId))];
  const streamId = streamIds.find((id) => id.includes('AgentEventStream')) ?? (streamIds.length === 1 ? streamIds[0] : undefined);
  const stream = model.kinesisStreams.find((candidate) => candidate.logicalId === streamId);
  if (!stream) return null;
  return { stream, sources: kinesisSources.filter((source) => source.sourceLogicalId === stream.logicalId) };
}
