import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { KinesisDelivery, type KinesisHandler, KinesisSequence, type KinesisTarget, toKinesisRecord } from '#local/kinesis-delivery';

const STREAM_ARN = 'arn:aws:kinesis:eu-central-1:000000000000:stream/AgentEventStream';
const AGENT_ARN = 'arn:aws:connect:eu-central-1:000000000000:instance/0b2c3d4e/agent/5f6a7b8c';

/** An Amazon Connect agent event as the agent event stream carries it (shortened snapshots). */
function agentEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AWSAccountId: '000000000000',
    AgentARN: AGENT_ARN,
    EventId: 'ca232cf2-3260-4d5e-a9f5-0bc2e1a8cd1d',
    EventTimestamp: '2026-11-23T12:00:00.000Z',
    EventType: 'STATE_CHANGE',
    InstanceARN: 'arn:aws:connect:eu-central-1:000000000000:instance/0b2c3d4e',
    Version: '2019-05-25',
    CurrentAgentSnapshot: { AgentStatus: { Name: 'Available', Type: 'ROUTABLE' }, Contacts: [] },
    PreviousAgentSnapshot: { AgentStatus: { Name: 'Offline', Type: 'OFFLINE' }, Contacts: [] },
    ...overrides,
  };
}

function decoded(event: KinesisStreamEvent): unknown[] {
  return event.Records.map((record) => JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')));
}

function target(handler: KinesisHandler, overrides: Partial<KinesisTarget> = {}): KinesisTarget {
  return {
    handler,
    functionName: 'agent-events',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/agent-events-role',
    batchSize: 100,
    reportBatchItemFailures: true,
    bisectBatchOnFunctionError: false,
    filters: [],
    ...overrides,
  };
}

function recordingHandler(answer: (event: KinesisStreamEvent) => ReturnType<KinesisHandler> = async () => ({ batchItemFailures: [] })) {
  const calls: KinesisStreamEvent[] = [];
  const handler = vi.fn(async (event: KinesisStreamEvent, _context: Context) => {
    calls.push(structuredClone(event));
    return answer(event);
  });
  return { handler, calls };
}

describe('toKinesisRecord', () => {
  it('wraps an agent event as Lambda delivers a Kinesis record, its data a base64 round trip of the JSON', () => {
    const event = agentEvent({ CurrentAgentSnapshot: { Configuration: { Username: 'agnieszka', FirstName: 'Agnieszka Łukasiewicz' } } });

    const record = toKinesisRecord(event, {
      sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
      streamArn: STREAM_ARN,
      region: 'eu-central-1',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/agent-events-role',
      arrivedAt: new Date('2026-11-23T12:00:01.250Z'),
    });

    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: AGENT_ARN,
        sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        data: expect.any(String),
        approximateArrivalTimestamp: 1795435201.25,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000000:49590338271490256608559692538361571095921575989136588898',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/agent-events-role',
      awsRegion: 'eu-central-1',
      eventSourceARN: STREAM_ARN,
    });
    expect(record.kinesis.data).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'))).toEqual(event);
  });

  it("partitions an event without an AgentARN under 'agent'", () => {
    const record = toKinesisRecord(
      { EventType: 'HEART_BEAT' },
      {
        sequenceNumber: '1',
        streamArn: STREAM_ARN,
        region: 'eu-central-1',
        invokeIdentityArn: 'role',
        arrivedAt: new Date(0),
      },
    );

    expect(record.kinesis.partitionKey).toBe('agent');
  });
});

describe('KinesisSequence', () => {
  it('hands out increasing decimal sequence numbers, higher again after a later restart', () => {
    const first = new KinesisSequence(1_795_435_200_000);
    const numbers = [first.take(), first.take(), first.take()];
    const restarted = new KinesisSequence(1_795_435_200_001);

    expect(numbers.every((n) => /^\d{56}$/.test(n))).toBe(true);
    expect(BigInt(numbers[1] as string) - BigInt(numbers[0] as string)).toBe(1n);
    expect(BigInt(numbers[2] as string) - BigInt(numbers[1] as string)).toBe(1n);
    expect(BigInt(restarted.take())).toBeGreaterThan(BigInt(numbers[2] as string));
  });
});

describe('KinesisDelivery', () => {
  it('invokes the function with every record in one batch and reports its failures', async () => {
    const { handler, calls } = recordingHandler(async (event) => ({
      batchItemFailures: [{ itemIdentifier: event.Records[1]?.kinesis.sequenceNumber as string }],
    }));
    const delivery = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [target(handler)]);
    const events = [agentEvent({ EventId: 'e-1' }), agentEvent({ EventId: 'e-2' }), agentEvent({ EventId: 'e-3' })];

    const result = await delivery.deliver(events);

    expect(calls).toHaveLength(1);
    expect(decoded(calls[0] as KinesisStreamEvent)).toEqual(events);
    const sequenceNumbers = calls[0]?.Records.map((record) => BigInt(record.kinesis.sequenceNumber)) ?? [];
    expect(sequenceNumbers[1]).toBeGreaterThan(sequenceNumbers[0] as bigint);
    expect(sequenceNumbers[2]).toBeGreaterThan(sequenceNumbers[1] as bigint);
    expect(calls[0]?.Records.every((record) => record.eventSourceARN === STREAM_ARN && record.awsRegion === 'eu-central-1')).toBe(true);
    expect(handler.mock.calls[0]?.[1]).toMatchObject({ functionName: 'agent-events', awsRequestId: expect.any(String) });
    expect(result).toEqual({ delivered: 3, batchItemFailures: [{ itemIdentifier: calls[0]?.Records[1]?.kinesis.sequenceNumber }] });
  });

  it("splits records into invocations of the mapping's batch size, in order", async () => {
    const { handler, calls } = recordingHandler();
    const delivery = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [target(handler, { batchSize: 2 })]);
    const events = [1, 2, 3, 4, 5].map((n) => agentEvent({ EventId: `e-${n}` }));

    const result = await delivery.deliver(events);

    expect(calls.map((call) => decoded(call).map((event) => (event as { EventId: string }).EventId))).toEqual([
      ['e-1', 'e-2'],
      ['e-3', 'e-4'],
      ['e-5'],
    ]);
    expect(result).toEqual({ delivered: 5, batchItemFailures: [] });
  });

  it('keeps numbering across deliveries', async () => {
    const { handler, calls } = recordingHandler();
    const delivery = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [target(handler)]);

    await delivery.deliver([agentEvent()]);
    await delivery.deliver([agentEvent()]);

    expect(BigInt(calls[1]?.Records[0]?.kinesis.sequenceNumber ?? 0)).toBeGreaterThan(
      BigInt(calls[0]?.Records[0]?.kinesis.sequenceNumber ?? 0),
    );
  });

  it('fails the whole batch when the function throws, or reports an identifier that is not in the batch', async () => {
    const throwing = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [
      target(async () => {
        throw new Error('table unavailable');
      }),
    ]);
    const confused = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [
      target(async (event) => ({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.eventID as string }] })),
    ]);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const thrown = await throwing.deliver([agentEvent(), agentEvent()]);
    const misreported = await confused.deliver([agentEvent(), agentEvent()]);
    quiet.mockRestore();

    expect(thrown.batchItemFailures).toHaveLength(2);
    expect(misreported.batchItemFailures).toHaveLength(2);
    expect(new Set(thrown.batchItemFailures.map((failure) => failure.itemIdentifier)).size).toBe(2);
  });

  it('bisects a failing batch when the mapping says so, down to the record that fails', async () => {
    const { handler, calls } = recordingHandler(async (event) => {
      if (decoded(event).some((data) => (data as { EventId: string }).EventId === 'poison')) throw new Error('cannot parse');
      return { batchItemFailures: [] };
    });
    const delivery = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [
      target(handler, { bisectBatchOnFunctionError: true }),
    ]);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const result = await delivery.deliver(['a', 'b', 'poison', 'd'].map((id) => agentEvent({ EventId: id })));
    quiet.mockRestore();

    const poisonRecord = calls[0]?.Records[2];
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: poisonRecord?.kinesis.sequenceNumber }]);
    expect(calls.map((call) => call.Records.length)).toEqual([4, 2, 2, 1, 1]);
  });

  it('ignores reported failures when the mapping does not report batch item failures, as Lambda does', async () => {
    const { handler } = recordingHandler(async (event) => ({
      batchItemFailures: [{ itemIdentifier: event.Records[0]?.kinesis.sequenceNumber as string }],
    }));
    const delivery = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [
      target(handler, { reportBatchItemFailures: false }),
    ]);

    expect(await delivery.deliver([agentEvent()])).toEqual({ delivered: 1, batchItemFailures: [] });
  });

  it("applies the mapping's filter patterns to the decoded data", async () => {
    const { handler, calls } = recordingHandler();
    const delivery = new KinesisDelivery({ arn: STREAM_ARN, region: 'eu-central-1' }, [
      target(handler, { filters: [{ data: { EventType: ['STATE_CHANGE'] } }] }),
    ]);

    await delivery.deliver([agentEvent({ EventType: 'HEART_BEAT', EventId: 'beat' }), agentEvent({ EventId: 'change' })]);

    expect(calls.map((call) => decoded(call).map((event) => (event as { EventId: string }).EventId))).toEqual([['change']]);
  });
});
