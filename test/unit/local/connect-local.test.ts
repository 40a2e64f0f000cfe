import { ConnectClient, InvalidParameterException, StartOutboundVoiceContactCommand } from '@aws-sdk/client-connect';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectContactEvent, type ConnectLocal, startConnectLocal } from '#local/services/connect-local';

const INSTANCE_ARN = 'arn:aws:connect:eu-central-1:000000000000:instance/00000000-0000-4000-8000-00000000c0de';
const INSTANCE_ID = '00000000-0000-4000-8000-00000000c0de';

let connect: ConnectLocal | null = null;
afterEach(async () => {
  await connect?.stop();
  connect = null;
});

async function started(published: ConnectContactEvent[][]): Promise<{ local: ConnectLocal; client: ConnectClient }> {
  connect = await startConnectLocal({
    port: 0,
    region: 'eu-central-1',
    account: '000000000000',
    instanceArn: INSTANCE_ARN,
    publish: async (events) => {
      published.push(events);
    },
    log: () => undefined,
  });
  const client = new ConnectClient({
    endpoint: connect.url,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { local: connect, client };
}

const dial = (clientToken: string) =>
  new StartOutboundVoiceContactCommand({
    InstanceId: INSTANCE_ID,
    ContactFlowId: 'local-callback-flow',
    QueueId: 'local-queue-customers',
    DestinationPhoneNumber: '+48601234567',
    Attributes: { caseId: 'case-1', callbackId: 'cb-1', attempt: '1' },
    ClientToken: clientToken,
  });

describe('the local Connect stand-in', () => {
  it('records StartOutboundVoiceContact as the SDK sends it, one contact per client token', async () => {
    const { local, client } = await started([]);

    const first = await client.send(dial('cb-1#1'));
    const again = await client.send(dial('cb-1#1'));
    const second = await client.send(dial('cb-1#2'));

    expect(first.ContactId).toBe(again.ContactId);
    expect(second.ContactId).not.toBe(first.ContactId);
    expect(local.calls()).toHaveLength(2);
    expect(local.calls()[0]).toMatchObject({
      state: 'dialling',
      request: {
        InstanceId: INSTANCE_ID,
        DestinationPhoneNumber: '+48601234567',
        Attributes: { callbackId: 'cb-1' },
        QueueId: 'local-queue-customers',
      },
    });
  });

  it('refuses what Connect refuses, as the SDK’s exceptions', async () => {
    const { client } = await started([]);

    const error = await client
      .send(new StartOutboundVoiceContactCommand({ InstanceId: INSTANCE_ID, ContactFlowId: 'flow', DestinationPhoneNumber: '601 234 567' }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('publishes the contact events of an answered call (with the agent) and of an unanswered one (without)', async () => {
    const published: ConnectContactEvent[][] = [];
    const { local, client } = await started(published);
    const answered = await client.send(dial('a'));
    const missed = await client.send(dial('b'));

    await local.end(answered.ContactId!, { outcome: 'answered', agentId: 'agent-uuid', talkSeconds: 90 });
    await local.end(missed.ContactId!, { outcome: 'no_answer' });
    const again = await local.end(missed.ContactId!, { outcome: 'answered' });

    expect(published.map((events) => events.map((event) => event.detail.eventType))).toEqual([
      ['INITIATED', 'CONNECTED_TO_AGENT', 'DISCONNECTED'],
      ['INITIATED', 'DISCONNECTED'],
    ]);
    const disconnected = published[0]!.at(-1)!;
    expect(disconnected).toMatchObject({
      source: 'aws.connect',
      'detail-type': 'Amazon Connect Contact Event',
      detail: {
        contactId: answered.ContactId,
        channel: 'VOICE',
        initiationMethod: 'API',
        instanceArn: INSTANCE_ARN,
        agentInfo: { agentArn: `${INSTANCE_ARN}/agent/agent-uuid` },
        queueInfo: { queueArn: `${INSTANCE_ARN}/queue/local-queue-customers` },
      },
    });
    expect(published[1]!.at(-1)!.detail.agentInfo).toBeUndefined();
    expect(again).toBeNull();
    expect(local.calls().map((call) => call.state)).toEqual(['answered', 'no_answer']);
  });
});
